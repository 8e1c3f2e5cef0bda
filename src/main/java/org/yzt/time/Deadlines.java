package org.yzt.time;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Coarse deadlines for work that almost always ends first: outbound HTTP calls, Redis commands, the
 * simulators' answer delays. A Vert.x timer costs a priority-queue insert and removal on the event
 * loop plus a map entry; at the pipeline's rates that was ~30 timers per query, nearly all cancelled.
 * Here one hashed timer wheel (Netty's {@link HashedWheelTimer}, one daemon thread for the process,
 * a tick of {@value #TICK_MS} ms) holds them, O(1) to set and to cancel; an expiry runs on the
 * Vert.x context that set the deadline, so callers keep their threading. A deadline fires between
 * its time and one tick later.
 */
public final class Deadlines {
  static final long TICK_MS = 5;
  private static final HashedWheelTimer WHEEL = new HashedWheelTimer(daemon(), TICK_MS, TimeUnit.MILLISECONDS, 1024);

  private Deadlines() {}

  /** A deadline that can be called off. */
  public interface Handle {
    void cancel();
  }

  /**
   * Runs {@code action} after {@code ms} unless cancelled: on the Vert.x context of the caller, or
   * on the wheel's thread when the caller has none (then {@code action} must be thread-safe).
   */
  public static Handle after(long ms, Runnable action) {
    Context ctx = Vertx.currentContext();
    Timeout t = WHEEL.newTimeout(timeout -> {
      if (ctx == null) {
        action.run();
      } else {
        ctx.runOnContext(v -> action.run());
      }
    }, Math.max(1, ms), TimeUnit.MILLISECONDS);
    return t::cancel;
  }

  /** {@code f}, failed with {@code expired} if it has not completed within {@code ms}. */
  public static <T> Future<T> bound(Future<T> f, long ms, Supplier<? extends Throwable> expired) {
    if (f.isComplete()) {
      return f;
    }
    Promise<T> p = Promise.promise();
    Handle h = after(ms, () -> p.tryFail(expired.get()));
    f.onComplete(ar -> {
      h.cancel();
      if (ar.succeeded()) {
        p.tryComplete(ar.result());
      } else {
        p.tryFail(ar.cause());
      }
    });
    return p.future();
  }

  private static ThreadFactory daemon() {
    return r -> {
      Thread t = new Thread(r, "yzt-deadlines");
      t.setDaemon(true);
      return t;
    };
  }
}
