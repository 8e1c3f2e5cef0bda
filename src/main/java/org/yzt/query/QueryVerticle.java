package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.AppContext;

/** Placeholder until built. */
public final class QueryVerticle extends VerticleBase {
  private final AppContext ctx;

  public QueryVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    return Future.succeededFuture();
  }
}
