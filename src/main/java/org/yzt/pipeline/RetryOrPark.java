package org.yzt.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.yzt.time.Backoff;

/**
 * Retries one call on transient failures, with the service's {@link Backoff}, until a time limit;
 * a retry further away than {@code parkAfterMs} ends in {@link RetryOutcome.Park} so the job waits in
 * Redis instead of holding a worker slot. Knows nothing of jobs: a step gives it the call, what
 * counts as transient, the limit and the attempts already made.
 *
 * <p>A timer that ends the retrying at the limit is only set once the limit is within one call's
 * timeout, since until then every call ends, and the next attempt re-checks, before it (a 48-hour
 * timer per call cost a timer-heap insert and removal for nothing, ten times per query).
 */
final class RetryOrPark {
  private final Vertx vertx;
  private final Backoff backoff;
  private final long parkAfterMs;
  /** Reads "now" against the job's epoch-ms deadline and wake time; the waits themselves are Vert.x timers. */
  private final Clock clock;

  RetryOrPark(Vertx vertx, Backoff backoff, long parkAfterMs, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.backoff = backoff;
    this.parkAfterMs = parkAfterMs;
  }

  /**
   * Calls until success, a permanent failure, {@code giveUpAt} (epoch ms) or a park.
   * {@code callTimeoutMs} bounds one call; {@code attemptsSoFar} continues the backoff of a job
   * that was parked or resumed.
   */
  <T> Future<RetryOutcome<T>> run(Supplier<Future<T>> call, Predicate<Throwable> isTransient, long giveUpAt,
      int attemptsSoFar, long callTimeoutMs) {
    Retry<T> r = new Retry<>(call, isTransient, giveUpAt, callTimeoutMs);
    if (giveUpAt - clock.millis() <= 0) {
      r.done.complete(new RetryOutcome.Expired<>());
      return r.done.future();
    }
    r.done.future().onComplete(ar -> {
      if (r.giveUpTimer >= 0) {
        vertx.cancelTimer(r.giveUpTimer);
      }
    });
    r.attempt(attemptsSoFar);
    return r.done.future();
  }

  private final class Retry<T> {
    final Supplier<Future<T>> call;
    final Predicate<Throwable> isTransient;
    final long giveUpAt;
    final long callTimeoutMs;
    final Promise<RetryOutcome<T>> done = Promise.promise();
    long giveUpTimer = -1;

    Retry(Supplier<Future<T>> call, Predicate<Throwable> isTransient, long giveUpAt, long callTimeoutMs) {
      this.call = call;
      this.isTransient = isTransient;
      this.giveUpAt = giveUpAt;
      this.callTimeoutMs = callTimeoutMs;
    }

    /** Sets the give-up timer if it is not set yet and the limit is within {@code withinMs}. */
    void armGiveUp(long now, long withinMs) {
      long remaining = giveUpAt - now;
      if (giveUpTimer < 0 && remaining <= withinMs && !done.future().isComplete()) {
        giveUpTimer = vertx.setTimer(Math.max(1, remaining), t -> done.tryComplete(new RetryOutcome.Expired<>()));
      }
    }

    void attempt(int n) {
      if (done.future().isComplete()) {
        return;
      }
      armGiveUp(clock.millis(), callTimeoutMs);
      Future<T> f;
      try {
        f = call.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (done.future().isComplete()) {
          return;
        }
        if (ar.succeeded()) {
          done.tryComplete(new RetryOutcome.Success<>(ar.result()));
        } else if (!isTransient.test(ar.cause())) {
          done.tryComplete(new RetryOutcome.Permanent<>(ar.cause()));
        } else {
          retryAfter(n + 1);
        }
      });
    }

    void retryAfter(int next) {
      long delay = backoff.delay(next, ThreadLocalRandom.current());
      long now = clock.millis();
      long wakeAt = Math.min(now + delay, giveUpAt);
      if (wakeAt - now > parkAfterMs) {
        done.tryComplete(new RetryOutcome.Park<>(wakeAt, next));
      } else if (now + delay < giveUpAt) {
        vertx.setTimer(delay, t -> attempt(next));
      } else {
        armGiveUp(now, Long.MAX_VALUE); // the limit comes before the next attempt would
      }
    }
  }
}
