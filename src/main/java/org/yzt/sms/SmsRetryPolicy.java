package org.yzt.sms;

import java.util.Random;
import org.yzt.time.Backoff;
import org.yzt.config.SmsConfig;

/**
 * When to try a text again after a transient failure: the service's one {@link Backoff} (from
 * {@code initialMs}, doubling up to {@code maxMs}, ±20 % jitter), never past the delivery deadline. The last attempt
 * is moved forward, rather than dropped, when the backoff would overrun the deadline, so the whole
 * budget is used; with less than {@code minAttemptMs} left there is no further attempt.
 */
public record SmsRetryPolicy(long initialMs, long maxMs, long minAttemptMs) {
  public static SmsRetryPolicy of(SmsConfig config) {
    return new SmsRetryPolicy(config.retryInitialMs(), Math.max(config.retryInitialMs(), config.retryMaxMs()),
        config.minAttemptMs());
  }

  /** The backoff before retry {@code retry} (1 = the first retry), jitter included, at most {@code maxMs}. */
  public long backoff(int retry, Random random) {
    return new Backoff(initialMs, maxMs).delay(retry, random);
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
