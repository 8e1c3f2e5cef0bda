package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.captcha.CaptchaBus.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.testing.Wait;

/** The pool on its own, with real worker threads: each item once, refills, an empty pool still serves. */
@ExtendWith(VertxExtension.class)
class CaptchaPoolTest {
  /** Numbered items, so that a repeat shows; each render takes a little CPU time like an image. */
  private static final class Numbered implements Callable<Integer> {
    final AtomicInteger made = new AtomicInteger();

    @Override
    public Integer call() throws InterruptedException {
      Thread.sleep(2);
      return made.incrementAndGet();
    }
  }

  @Test
  void handsOutEachItemOnceAndRefillsToItsSize(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 6, 2, render, metrics).start();
    awaitReady(pool, 6);
    assertEquals(6, render.made.get(), "filled to its size, no more");

    List<Future<Integer>> taken = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      taken.add(pool.take());
    }
    Set<Integer> seen = new HashSet<>();
    for (Future<Integer> f : taken) {
      assertTrue(seen.add(await(f)), "an item handed out twice");
    }

    awaitReady(pool, 6);
    // refilled and stopped there: no render in flight once the pool is full
    assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> pool.rendering() == 0), "renders still in flight");
    assertEquals(6, pool.ready(), "refilled to its size and stopped there");
    assertEquals(6.0, metrics.get("yzt.captcha.pool.ready").gauge().value());
    assertEquals(30 + 6, render.made.get(), "every render went out or is waiting in the pool");
  }

  /**
   * poll() never renders (an empty pool answers null), and an item polled for a request refused before it was
   * issued goes back, when there is room, to be handed out once later (issue 23: a captcha's per-IP limit
   * counted in the script that stores it, on standalone).
   */
  @Test
  void aPolledItemNeverIssuedGoesBackWhenThereIsRoom(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    CaptchaPool<Integer> empty = new CaptchaPool<>(vertx, 0, 1, render, null).start();
    org.junit.jupiter.api.Assertions.assertNull(empty.poll(), "nothing ready");
    empty.giveBack(7);
    assertEquals(0, empty.ready(), "no room in a pool of size 0");
    assertEquals(0, render.made.get(), "poll() renders nothing");

    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 3, 1, render, null).start();
    awaitReady(pool, 3);
    Integer item = pool.poll();
    assertEquals(2, pool.ready());
    pool.giveBack(item);
    assertEquals(3, pool.ready(), "back in the pool");
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < 3; i++) {
      assertTrue(seen.add(pool.poll()), "an item handed out twice");
    }
    assertTrue(seen.contains(item), "the item given back is handed out again, once");
  }

  /**
   * Below half after a take (poll), the pool refills at once, even while takes go on: a burst that has
   * drained it must not wait for a pause that may not come. 19 of 40 left, then a take every 20 ms: refilled
   * at once, it never runs dry; waiting for a 200 ms pause, it would be empty after 19 takes (380 ms).
   * Filled by giveBack, so that no refill task of its own start is in flight when the takes begin.
   */
  @Test
  void belowHalfItRefillsAtOnceWhileTakesGoOn(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 40, 1, render, null);
    for (int i = 0; i < 40; i++) {
      pool.giveBack(1000 + i);
    }
    for (int i = 0; i < 21; i++) {
      assertNotNull(pool.poll());
    }
    assertEquals(19, pool.ready(), "below half");
    AtomicInteger takes = new AtomicInteger();
    AtomicInteger empty = new AtomicInteger();
    long periodic = vertx.setPeriodic(20, id -> {
      if (takes.incrementAndGet() <= 60 && pool.poll() == null) {
        empty.incrementAndGet();
      }
    });
    try {
      Wait.await(10_000, "60 takes", () -> takes.get() >= 60);
    } finally {
      vertx.cancelTimer(periodic);
    }
    assertEquals(0, empty.get(), "takes that found the pool empty");
    assertTrue(render.made.get() > 0, "rendered");
  }

  /**
   * At half or more after a take, rendering waits until takes have paused for 200 ms (the CPU goes to the
   * burst): the first render comes at least 200 ms after the last take (takes at 0, 100 and 150 ms: a pause
   * is measured from the last one, and a check that finds none is made again later). And a full pool starts
   * no render of its own meanwhile.
   */
  @Test
  void atHalfOrMoreItRefillsOnlyOnceTakesHavePaused(Vertx vertx) throws Exception {
    List<Long> renderedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger made = new AtomicInteger();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 6, 1, () -> {
      renderedAt.add(System.nanoTime());
      return made.incrementAndGet();
    }, null);
    io.vertx.core.Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> pool.start());
    awaitReady(pool, 6);
    java.util.concurrent.atomic.AtomicLong lastTakeBegan = new java.util.concurrent.atomic.AtomicLong();
    // the takes begin once the fill's last task has ended and its refill() has looked: a task of ours behind
    // it on the pool's one worker thread, completed on the same event loop after it
    context.runOnContext(v -> vertx.createSharedWorkerExecutor(CaptchaPool.EXECUTOR, 1)
        .executeBlocking(() -> null, false).onComplete(done -> {
          pool.poll();
          vertx.setTimer(100, id -> {
            pool.poll();
            vertx.setTimer(50, id2 -> {
              lastTakeBegan.set(System.nanoTime());
              pool.poll(); // 3 left of 6: half, still the quiet path
            });
          });
        }));
    Wait.await(10_000, "the pool refilled", () -> lastTakeBegan.get() != 0 && pool.ready() == 6);
    assertEquals(6 + 3, made.get(), "refilled what was taken, no more");
    long gapMs = (renderedAt.get(6) - lastTakeBegan.get()) / 1_000_000;
    assertTrue(gapMs >= 200, "first render " + gapMs + " ms after the last take");
  }

  /** One take and no more: the pause that follows refills it (a quiet check is set by the first take itself). */
  @Test
  void aSingleTakeIsRefilledOnceTakesPause(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 6, 1, render, null);
    for (int i = 0; i < 6; i++) {
      pool.giveBack(1000 + i);
    }
    assertNotNull(pool.poll());
    awaitReady(pool, 6);
    assertEquals(1, render.made.get());
  }

  /** More than one batch (32) to render: each batch that ends starts the next until the pool is full. */
  @Test
  void fillsAPoolLargerThanOneBatch(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 40, 1, render, null).start();
    assertEquals(40, pool.capacity());
    awaitReady(pool, 40);
    assertEquals(40, render.made.get());
  }

  /** A take that finds the pool empty renders its item and starts the pool's refill too. */
  @Test
  void aTakeFromAnEmptyPoolStartsItsRefill(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 4, 1, render, null); // never started
    assertNotNull(await(pool.take()));
    awaitReady(pool, 4);
    assertEquals(5, render.made.get(), "the one taken and the four ready");
  }

  @Test
  void itsBoundsAreCheckedAndOneRenderInFlightIsAllowed(Vertx vertx) throws Exception {
    Callable<Integer> render = () -> 1;
    assertThrows(IllegalArgumentException.class, () -> new CaptchaPool<>(vertx, -1, 1, 1, render, null, "p"));
    assertThrows(IllegalArgumentException.class, () -> new CaptchaPool<>(vertx, 0, 0, 1, render, null, "p"));
    assertThrows(IllegalArgumentException.class, () -> new CaptchaPool<>(vertx, 0, 1, 0, render, null, "p"));
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    CaptchaPool<Integer> one = new CaptchaPool<>(vertx, 0, 1, 1, () -> {
      release.await();
      return 7;
    }, null, "p");
    Future<Integer> first = one.take();
    assertTrue(one.take().failed(), "a second render of an empty pool refused");
    release.countDown();
    assertEquals(7, await(first));
  }

  @Test
  void anEmptyPoolRendersOnDemand(Vertx vertx) {
    Numbered render = new Numbered();
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    // not started: nothing is ready when the requests come
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 500, 1, render, metrics);
    List<Future<Integer>> taken = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      taken.add(pool.take());
    }
    Set<Integer> seen = new HashSet<>();
    for (Future<Integer> f : taken) {
      assertTrue(seen.add(await(f)));
    }
    assertEquals(10, seen.size());
    assertTrue(metrics.get("yzt.captcha.pool.misses").counter().count() >= 1, "counted as rendered on demand");
  }

  @Test
  void sizeZeroKeepsNothingAndStillServes(Vertx vertx) throws Exception {
    Numbered render = new Numbered();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 0, 1, render, null).start();
    assertEquals(1, await(pool.take()));
    assertEquals(2, await(pool.take()));
    // a pool of size 0 starts no render of its own: none in flight, none ready, right after the takes
    assertEquals(0, pool.rendering());
    assertEquals(0, pool.ready());
    assertEquals(2, render.made.get(), "nothing rendered ahead");
  }

  private static void awaitReady(CaptchaPool<?> pool, int n) throws InterruptedException {
    org.yzt.testing.Wait.waitUntil(10_000, () -> pool.ready() >= n);
    assertEquals(n, pool.ready(), "pool size");
  }

  @Test
  void anEmptyPoolRendersABoundedNumberOnItsOwnWorkersAndRefusesTheRestWithRetryAfter(Vertx vertx) throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicInteger made = new AtomicInteger();
    CaptchaPool<Integer> pool = new CaptchaPool<>(vertx, 0, 1, 2, () -> {
      threads.add(Thread.currentThread().getName());
      release.await();
      return made.incrementAndGet();
    }, null, "test.pool").start();
    Future<Integer> first = pool.take();
    Future<Integer> second = pool.take();
    Future<Integer> third = pool.take();
    assertTrue(third.failed(), "refused at once, not queued");
    io.vertx.serviceproxy.ServiceException refused = (io.vertx.serviceproxy.ServiceException) third.cause();
    assertEquals(503, refused.failureCode());
    assertEquals("SERVICE_UNAVAILABLE", refused.getMessage());
    assertEquals(1, refused.getDebugInfo().getInteger(org.yzt.contract.Failures.RETRY_AFTER));
    assertEquals(2, pool.rendering());
    release.countDown();
    assertEquals(Set.of(1, 2), Set.of(await(first), await(second)));
    assertTrue(threads.stream().allMatch(t -> t.startsWith(CaptchaPool.EXECUTOR)), "on its own workers: " + threads);
    org.yzt.testing.Wait.waitUntil(5_000, () -> pool.rendering() == 0);
    assertEquals(3, await(pool.take()), "room again once the renders ended");
  }
}
