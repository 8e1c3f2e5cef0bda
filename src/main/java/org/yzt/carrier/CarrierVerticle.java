package org.yzt.carrier;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.AppContext;

/** Placeholder until built. */
public final class CarrierVerticle extends VerticleBase {
  private final AppContext ctx;

  public CarrierVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
