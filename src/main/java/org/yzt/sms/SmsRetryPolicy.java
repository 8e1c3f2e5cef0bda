package org.yzt.sms;

import java.util.Random;

/**
 * When to try a text again after a transient failure: exponential backoff from {@code initialMs},
 * doubling per retry up to {@code maxMs}, with ±20 % jitter so that texts failed by one gateway
 * outage do not come back in lock-step, and never past the delivery deadline. The last attempt
 * is moved forward, rather than dropped, when the backoff would overrun the deadline, so the whole
 * budget is used; with less than {@code minAttemptMs} left there is no further attempt.
 */
public record SmsRetryPolicy(long initialMs, long maxMs, long minAttemptMs) {
  static final double JITTER = 0.2;

  /** The backoff before retry {@code retry} (1 = the first retry), jitter included, at most {@code maxMs}. */
  public long backoff(int retry, Random random) {
    int shift = Math.max(0, Math.min(retry - 1, 40));
    long base = initialMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, initialMs << shift);
    double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
    return Math.max(1, Math.min(maxMs, Math.round(base * factor)));
  }

  /**
   * The delay before retry {@code retry} for a text due by {@code deadlineMs}, or -1 when no
   * attempt fits before the deadline any more.
   */
  public long nextDelay(int retry, long nowMs, long deadlineMs, Long retryAfterMs, Random random) {
    long latestStart = deadlineMs - minAttemptMs;
    if (nowMs >= latestStart) {
      return -1;
    }
    long delay = backoff(retry, random);
    if (retryAfterMs != null && retryAfterMs > delay) {
      // the gateway asked for a pause (429/503 Retry-After); honour it, within our own cap
      delay = Math.min(retryAfterMs, maxMs);
    }
    return Math.max(1, Math.min(delay, latestStart - nowMs));
  }

  /** The timeout of an attempt that starts now: the configured one, cut at the deadline. */
  public static long attemptTimeout(long timeoutMs, long nowMs, long deadlineMs) {
    return Math.max(1, Math.min(timeoutMs, deadlineMs - nowMs));
  }
}
