package org.yzt.captcha;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;

/**
 * Captchas rendered ahead (SPEC §10): up to {@code capacity} items made by {@code render} on
 * worker threads, so that a burst is served at event-loop speed. {@link #take()} hands each item
 * out once and refills in the background (at once below half, else when takes pause); an empty
 * pool renders on demand, at most {@code maxOnDemand} at once: beyond that a take fails at once
 * with {@code 503 SERVICE_UNAVAILABLE} and {@code Retry-After: 1}, so that a flood against an empty
 * pool cannot queue thousands of renders nobody will see. Refills and renders run on a worker
 * executor of their own ({@value #EXECUTOR}, {@code parallelism} threads), never ahead of the shared
 * worker pool's other work (the page's static files). Any pool of rendered challenges (image or
 * audio) takes the same bound by being a {@code CaptchaPool}.
 * Safe to share between verticle instances and threads.
 *
 * @param <T> what one render makes (an image and its answer's hash)
 */
public final class CaptchaPool<T> {
  private static final Logger LOG = LoggerFactory.getLogger(CaptchaPool.class);
  /** Items one background task renders before it yields its worker thread. */
  private static final int BATCH = 32;
  /** A pool at least half full refills only once takes have paused this long. */
  private static final long QUIET_MS = 200;
  /** The name of the worker executor renders run on (shared by name: one per process). */
  public static final String EXECUTOR = "yzt-captcha-render";

  private final Vertx vertx;
  private final int capacity;
  private final Callable<T> render;
  private final int parallelism;
  private final Queue<T> ready = new ConcurrentLinkedQueue<>();
  /** {@code ready.size()} without walking the queue. */
  private final AtomicInteger size = new AtomicInteger();
  /** Items ready plus items being rendered: never above capacity. */
  private final AtomicInteger reserved = new AtomicInteger();
  private final AtomicInteger refilling = new AtomicInteger();
  private final AtomicBoolean quietTimer = new AtomicBoolean();
  private volatile long lastTakeNanos;
  private final Counter misses;
  private final int maxOnDemand;
  private final AtomicInteger onDemand = new AtomicInteger();
  private final WorkerExecutor workers;

  /**
   * @param capacity    how many items to keep ready (0: none, every take renders)
   * @param parallelism how many worker threads may refill at once
   * @param metrics     registers {@code yzt.captcha.pool.ready} and {@code yzt.captcha.pool.misses}; may be null
   */
  public CaptchaPool(Vertx vertx, int capacity, int parallelism, Callable<T> render, MeterRegistry metrics) {
    this(vertx, capacity, parallelism, Integer.MAX_VALUE, render, metrics, "yzt.captcha.pool");
  }

  /** The same, its meters named {@code <metricPrefix>.ready} and {@code <metricPrefix>.misses}. */
  public CaptchaPool(Vertx vertx, int capacity, int parallelism, Callable<T> render, MeterRegistry metrics,
      String metricPrefix) {
    this(vertx, capacity, parallelism, Integer.MAX_VALUE, render, metrics, metricPrefix);
  }

  /**
   * @param maxOnDemand renders of an empty pool in flight at once; a take beyond them is refused
   *                    ({@code captcha.maxRendersInFlight})
   */
  public CaptchaPool(Vertx vertx, int capacity, int parallelism, int maxOnDemand, Callable<T> render,
      MeterRegistry metrics, String metricPrefix) {
    if (capacity < 0 || parallelism < 1 || maxOnDemand < 1) {
      throw new IllegalArgumentException("captcha pool: capacity >= 0, parallelism >= 1 and maxOnDemand >= 1");
    }
    this.maxOnDemand = maxOnDemand;
    this.workers = vertx.createSharedWorkerExecutor(EXECUTOR, parallelism);
    this.vertx = vertx;
    this.capacity = capacity;
    this.parallelism = parallelism;
    this.render = render;
    if (metrics == null) {
      this.misses = null;
    } else {
      Gauge.builder(metricPrefix + ".ready", size, AtomicInteger::get)
          .description("captchas rendered ahead and not yet issued").register(metrics);
      this.misses = Counter.builder(metricPrefix + ".misses")
          .description("captchas rendered on demand because the pool was empty").register(metrics);
    }
  }

  /** Starts filling the pool; returns at once. */
  public CaptchaPool<T> start() {
    refill();
    return this;
  }

  /** An item never handed out before: from the pool when it has one, else rendered now on a worker. */
  public Future<T> take() {
    T item = poll();
    if (item != null) {
      return Future.succeededFuture(item);
    }
    if (misses != null) {
      misses.increment();
    }
    refill();
    if (onDemand.incrementAndGet() > maxOnDemand) {
      onDemand.decrementAndGet();
      return Future.failedFuture(Failures.retryAfter(ErrorCode.SERVICE_UNAVAILABLE, 1));
    }
    return workers.executeBlocking(render, false).onComplete(ar -> onDemand.decrementAndGet());
  }

  /**
   * An item from the pool, or null when it has none ready (nothing is rendered for this call): for a caller
   * that may still refuse the request, and then gives the item back ({@link #giveBack}).
   */
  public T poll() {
    T item = ready.poll();
    if (item == null) {
      return null;
    }
    size.decrementAndGet();
    reserved.decrementAndGet();
    lastTakeNanos = System.nanoTime();
    if (size.get() < capacity / 2) {
      refill();
    } else {
      refillWhenQuiet();
    }
    return item;
  }

  /**
   * Puts back an item {@link #poll} handed out that was never shown to anyone (the request was refused
   * before it was issued), when the pool has room for it; each item is still issued at most once.
   */
  public void giveBack(T item) {
    if (reserved.incrementAndGet() > capacity) {
      reserved.decrementAndGet();
      return;
    }
    size.incrementAndGet();
    ready.add(item);
  }

  /** Renders of an empty pool in flight now. */
  public int rendering() {
    return onDemand.get();
  }

  /** Items ready now. */
  public int ready() {
    return size.get();
  }

  public int capacity() {
    return capacity;
  }

  /**
   * While more than half the pool is left, rendering waits until the burst pauses: the CPU goes
   * to serving it, not to drawing images nobody has asked for yet.
   */
  private void refillWhenQuiet() {
    if (quietTimer.compareAndSet(false, true)) {
      vertx.setTimer(QUIET_MS, id -> {
        quietTimer.set(false);
        if (System.nanoTime() - lastTakeNanos >= TimeUnit.MILLISECONDS.toNanos(QUIET_MS)) {
          refill();
        } else {
          refillWhenQuiet();
        }
      });
    }
  }

  /** Starts one more background task unless the pool is full or enough tasks run already. */
  private void refill() {
    int running;
    do {
      running = refilling.get();
      if (running >= parallelism || reserved.get() >= capacity) {
        return;
      }
    } while (!refilling.compareAndSet(running, running + 1));
    workers.executeBlocking(this::renderBatch, false).onComplete(done -> {
      refilling.decrementAndGet();
      if (done.succeeded()) {
        refill();
      } else {
        // a render that fails would fail again at once: the next take() tries anew
        LOG.warn("captcha pool refill failed: {}", done.cause().toString());
      }
    });
  }

  private Void renderBatch() throws Exception {
    for (int i = 0; i < BATCH; i++) {
      if (reserved.incrementAndGet() > capacity) {
        reserved.decrementAndGet();
        break;
      }
      T item;
      try {
        item = render.call();
      } catch (Exception | Error e) {
        reserved.decrementAndGet();
        throw e;
      }
      size.incrementAndGet();
      ready.add(item);
    }
    return null;
  }
}
