package org.yzt.sms;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.AppContext;

/** Placeholder until built. */
public final class SmsVerticle extends VerticleBase {
  private final AppContext ctx;

  public SmsVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
