package org.yzt.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.AppContext;

/** Placeholder until built. */
public final class RateLimitVerticle extends VerticleBase {
  private final AppContext ctx;

  public RateLimitVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
