package org.yzt.frontdoor;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yzt.store.RedisScript;
import org.yzt.config.LimitsConfig;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;

/**
 * An ID number's phone-card window (SPEC §13: one phone-card query per ID number per window, whatever
 * phone asks), kept in the slot of its own keyed token: on every deployment (standalone, Sentinel,
 * Cluster: SPEC §11's one layout) it is reserved provisionally in a round trip of its own before the
 * number's step, then confirmed when that step accepted the query or given back when it refused
 * (lua/card_id_reserve.lua, lua/card_id_settle.lua). A reservation is a marker that expires by itself,
 * so a node gone between the steps blocks the ID number for {@link #MARKER_MS} at most, never a window.
 */
final class CardIdWindow {
  /**
   * A reservation's life: far beyond one number's step (a script bounded by the Redis timeout), so it is
   * settled before it can expire; a confirmation that finds it expired and taken by another query says so.
   */
  static final long MARKER_MS = 10_000;
  /** How long a query waits for another query's reservation of the same ID number to be settled. */
  static final long PENDING_WAIT_MS = 1_000;
  private static final long PENDING_POLL_MS = 20;

  /** The reservation's verdict: {@code takenMs} 0 when this query holds the reservation, else the window's time left. */
  record Verdict(boolean reserved, long takenMs) {}

  private final Vertx vertx;
  private final RedisScript reserve;
  private final RedisScript settle;

  CardIdWindow(Vertx vertx, JsonObject config, Redis redis, long timeoutMs) {
    this.vertx = vertx;
    long windowMs = LimitsConfig.from(config).queryWindowSeconds() * 1000;
    this.reserve = RedisScript.load(redis, timeoutMs, Map.of("WINDOW_MS", windowMs), "card_id_reserve");
    this.settle = RedisScript.load(redis, timeoutMs, Map.of("WINDOW_MS", windowMs), "card_id_settle");
  }

  Future<Void> warm() {
    return Future.all(reserve.warm(), settle.warm()).mapEmpty();
  }

  /**
   * Reserves {@code key} for {@code queryId}, or tells how long its window still runs. While another
   * query's reservation is pending it asks again (it is settled within that query's round trip), up to
   * {@link #PENDING_WAIT_MS}; then SERVICE_UNAVAILABLE with the marker's time left as Retry-After, nothing
   * taken and the code untouched.
   */
  Future<Verdict> reserve(String key, String queryId) {
    return reserve(key, queryId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PENDING_WAIT_MS));
  }

  /** {@code giveUpAt} is on {@link System#nanoTime()}: a bound on real waiting, paced by real timers (not the node's wall clock). */
  private Future<Verdict> reserve(String key, String queryId, long giveUpAt) {
    return reserve.run(List.of(key), List.of(queryId, Long.toString(MARKER_MS))).compose(r -> {
      switch (r.get(0).toString()) {
        case "RESERVED":
          return Future.succeededFuture(new Verdict(true, 0));
        case "TAKEN":
          return Future.succeededFuture(new Verdict(false, r.get(1).toLong()));
        default: // PENDING
          if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PENDING_POLL_MS) - giveUpAt > 0) {
            // the other query's node is gone (or slow): the marker's time left, at most MARKER_MS
            return Future.failedFuture(Failures.retryAfter(ErrorCode.SERVICE_UNAVAILABLE, (r.get(1).toLong() + 999) / 1000));
          }
          return vertx.timer(PENDING_POLL_MS, TimeUnit.MILLISECONDS).compose(v -> reserve(key, queryId, giveUpAt));
      }
    });
  }

  /** Turns this query's reservation into the window: false when the key held another query's. */
  Future<Boolean> confirm(String key, String queryId) {
    return settle.run(List.of(key), List.of(queryId, "1")).map(r -> r.toLong() == 1);
  }

  /** Gives this query's reservation back (only if it is still this query's). */
  Future<Void> giveBack(String key, String queryId) {
    return settle.run(List.of(key), List.of(queryId, "0")).mapEmpty();
  }
}
