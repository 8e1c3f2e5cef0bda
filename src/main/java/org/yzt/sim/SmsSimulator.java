package org.yzt.sim;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import org.yzt.AppContext;

/** Placeholder until built. */
public final class SmsSimulator {
  private final AppContext ctx;

  public SmsSimulator(AppContext ctx) {
    this.ctx = ctx;
  }

  /** Adds this simulator's routes (and event-bus consumers, if any). */
  public void mount(Router router, Vertx vertx) {
  }
}
