package org.yzt.time;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The coarse deadlines of outbound calls: on time (within a tick), on the caller's context, cancellable. */
class DeadlinesTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(5, TimeUnit.SECONDS);
  }

  @Test
  void aDeadlineRunsOnTheContextThatSetItNotBefore() throws Exception {
    Context ctx = vertx.getOrCreateContext();
    CompletableFuture<Object[]> ran = new CompletableFuture<>();
    long[] setAt = new long[1];
    ctx.runOnContext(v -> {
      setAt[0] = System.nanoTime();
      Deadlines.after(50, () -> ran.complete(new Object[] {Vertx.currentContext(), System.nanoTime()}));
    });
    Object[] r = ran.get(2, TimeUnit.SECONDS);
    assertSame(ctx, r[0], "on the caller's context");
    long tookMs = ((Long) r[1] - setAt[0]) / 1_000_000;
    assertTrue(tookMs >= 49 && tookMs < 1000, "after ~50 ms, not " + tookMs);
  }

  @Test
  void aCancelledDeadlineNeverRuns() throws Exception {
    AtomicBoolean ran = new AtomicBoolean();
    Deadlines.after(30, () -> ran.set(true)).cancel();
    // a later deadline set after it: the one wheel thread runs expiries tick by tick, in order, so
    // when this one has run the cancelled one would have run before it
    CompletableFuture<Void> later = new CompletableFuture<>();
    Deadlines.after(60, () -> later.complete(null));
    later.get(2, TimeUnit.SECONDS);
    assertFalse(ran.get());
  }

  @Test
  void boundFailsWhatDoesNotCompleteInTimeAndPassesTheRestThrough() throws Exception {
    Future<String> never = Promise.<String>promise().future();
    long t0 = System.nanoTime();
    Throwable cause = Deadlines.bound(never, 40, () -> new TimeoutException("late")).transform(ar -> Future.succeededFuture(ar.cause()))
        .await(2, TimeUnit.SECONDS);
    assertTrue(cause instanceof TimeoutException && "late".equals(cause.getMessage()), String.valueOf(cause));
    assertTrue((System.nanoTime() - t0) / 1_000_000 >= 39);
    Promise<String> soon = Promise.promise();
    Future<String> bounded = Deadlines.bound(soon.future(), 1000, () -> new TimeoutException("late"));
    soon.complete("ok");
    assertEquals("ok", bounded.await(2, TimeUnit.SECONDS));
    Promise<String> failing = Promise.promise();
    Future<String> boundedFailure = Deadlines.bound(failing.future(), 1000, () -> new TimeoutException("late"));
    failing.fail(new IllegalStateException("own"));
    assertEquals("own", boundedFailure.transform(ar -> Future.succeededFuture(ar.cause().getMessage())).await(2, TimeUnit.SECONDS));
    Future<String> done = Future.succeededFuture("x");
    assertSame(done, Deadlines.bound(done, 10, () -> new TimeoutException("late")));
  }
}
