package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.AppContext;

/** Placeholder until built. */
public final class PipelineVerticle extends VerticleBase {
  private final AppContext ctx;

  public PipelineVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
