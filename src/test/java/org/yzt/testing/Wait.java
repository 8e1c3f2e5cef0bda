package org.yzt.testing;

import java.util.function.BooleanSupplier;

/**
 * The one way tests wait: for a condition, polled every 20 ms, never for a fixed time. For "this
 * must not happen", wait instead for an event that would come after it (the job's last status, a
 * later text) and then check: a bare sleep passes when the unwanted event is merely late.
 */
public final class Wait {
  private static final long POLL_MS = 20;

  private Wait() {}

  /** True as soon as {@code condition} holds, false when it still does not after {@code timeoutMs}. */
  public static boolean waitUntil(long timeoutMs, BooleanSupplier condition) {
    long until = System.nanoTime() + timeoutMs * 1_000_000;
    while (System.nanoTime() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /** {@link #waitUntil}, failing the test with {@code what} when the time is up. */
  public static void await(long timeoutMs, String what, BooleanSupplier condition) {
    if (!waitUntil(timeoutMs, condition)) {
      throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
    }
  }
}
