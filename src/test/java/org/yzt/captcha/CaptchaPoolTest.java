package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
