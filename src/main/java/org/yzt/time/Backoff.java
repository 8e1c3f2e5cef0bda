package org.yzt.time;

import java.util.Random;

/**
 * The one backoff formula of every retry in the service (SPEC §3, §4): {@code initialMs} doubling
 * per retry up to {@code maxMs}, with ±20 % jitter so that work failed by one outage does not come
 * back in lock-step. Used by the pipeline's steps and by SMS delivery.
 */
public record Backoff(long initialMs, long maxMs) {
  static final double JITTER = 0.2;

  public Backoff {
    initialMs = Math.max(1, initialMs);
    maxMs = Math.max(initialMs, maxMs);
  }

  /** The delay before retry {@code retry} (1 = the first retry), jitter included, at most {@code maxMs}. */
  public long delay(int retry, Random random) {
    int shift = Math.max(0, Math.min(retry - 1, 40));
    long base = initialMs > (maxMs >> shift) ? maxMs : Math.min(maxMs, initialMs << shift);
    double factor = 1 - JITTER + 2 * JITTER * random.nextDouble();
    return Math.max(1, Math.min(maxMs, Math.round(base * factor)));
  }
}
