package org.yzt.privacy;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Sampling of security WARN lines (SPEC §10): at most one line per client token and bucket per
 * minute, carrying the count of refusals it stands for, so that a flood of refused requests writes a
 * line a minute instead of a line a request (each of which would cost the event loop a log event and
 * the appender a queue slot). Shared by the whole process; one map entry per (event, client, bucket)
 * seen, dropped wholesale past {@link #MAX_KEYS} (the worst case is one extra line per key).
 */
public final class SecurityLog {
  static final long PERIOD_MS = 60_000;
  static final int MAX_KEYS = 100_000;
  private static final SecurityLog SHARED = new SecurityLog();

  /** Refusals since the last line written for one key, and when that line was written. */
  private static final class Slot {
    boolean written;
    long lineAtMs;
    long pending;
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  public static SecurityLog shared() {
    return SHARED;
  }

  /**
   * Counts one refusal; answers how many refusals a line written now stands for (this one included),
   * or 0 when no line is due (one was written for this key less than a minute ago).
   */
  public long admit(String event, String clientToken, String bucket) {
    return admit(event + '|' + clientToken + '|' + bucket, System.currentTimeMillis());
  }

  long admit(String key, long nowMs) {
    if (slots.size() >= MAX_KEYS && !slots.containsKey(key)) {
      slots.clear();
    }
    Slot slot = slots.computeIfAbsent(key, k -> new Slot());
    synchronized (slot) {
      slot.pending++;
      if (slot.written && nowMs - slot.lineAtMs < PERIOD_MS) {
        return 0;
      }
      slot.written = true;
      long count = slot.pending;
      slot.pending = 0;
      slot.lineAtMs = nowMs;
      return count;
    }
  }
}
