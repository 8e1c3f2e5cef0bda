package org.yzt.common;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * The nonces a receiver has accepted (SPEC §4: a nonce accepted within the last 10 minutes is
 * refused). A nonce is remembered until its request's timestamp is more than
 * {@link RequestSigner#MAX_SKEW_MS} in the past: from then on the timestamp check alone refuses a
 * replay, and since an accepted timestamp is at most 5 minutes ahead, that is never more than 10
 * minutes after acceptance. Memory is bounded twice: by the rate of accepted requests over 10
 * minutes, and by {@code maxEntries}; a full cache refuses new nonces (fails closed) rather than
 * forgetting live ones. Thread-safe: one cache serves every event loop of a receiver.
 */
public final class NonceCache {
  /** What became of a nonce offered to {@link #firstUse}. */
  public enum Use {
    /** Not seen within its window: remembered now. */
    FIRST,
    /** Accepted before, and still within its window. */
    REPLAYED,
    /** The cache holds {@code maxEntries} live nonces. */
    FULL
  }

  private record Entry(String nonce, long forgetAtMs) {}

  private final int maxEntries;
  private final Map<String, Long> live = new HashMap<>();
  /** In the order of acceptance; every entry is gone at most 10 minutes after it was added. */
  private final Deque<Entry> order = new ArrayDeque<>();

  public NonceCache(int maxEntries) {
    this.maxEntries = Math.max(1, maxEntries);
  }

  /** Remembers {@code nonce} of a request signed at {@code timestampMs}, unless it is a replay. */
  public synchronized Use firstUse(String nonce, long timestampMs, long nowMs) {
    expire(nowMs);
    Long forgetAt = live.get(nonce);
    if (forgetAt != null && forgetAt >= nowMs) {
      return Use.REPLAYED;
    }
    if (forgetAt == null && live.size() >= maxEntries) {
      return Use.FULL;
    }
    long at = timestampMs + RequestSigner.MAX_SKEW_MS;
    live.put(nonce, at);
    order.addLast(new Entry(nonce, at));
    return Use.FIRST;
  }

  /** Nonces held now (for the bound's test). */
  public synchronized int size() {
    return live.size();
  }

  private void expire(long nowMs) {
    while (!order.isEmpty() && order.peekFirst().forgetAtMs() < nowMs) {
      Entry e = order.removeFirst();
      // a nonce re-accepted after its window has a newer entry further back
      live.remove(e.nonce(), e.forgetAtMs());
    }
  }
}
