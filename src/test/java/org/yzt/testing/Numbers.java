package org.yzt.testing;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one source of phone numbers for tests: fresh, valid mainland mobile numbers, none twice in a
 * JVM, so that no two tests share a number's limits, windows or inbox. Demo subscribers and
 * deliberately chosen numbers are spelled out where a test needs them.
 */
public final class Numbers {
  /** A random start, so that numbers differ between runs against the same Redis too. */
  private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(100_000_000));

  private Numbers() {}

  /** A China Mobile number (139…). */
  public static String fresh() {
    return fresh("139");
  }

  /** A number of the 3-digit {@code prefix} (which picks the carrier: 138, 139, 158 … China Mobile). */
  public static String fresh(String prefix) {
    if (!prefix.matches("1[3-9]\\d")) {
      throw new IllegalArgumentException("not a mobile prefix: " + prefix);
    }
    // a step coprime with 10^8 walks every 8-digit suffix before it repeats one
    return prefix + String.format("%08d", Math.floorMod(NEXT.getAndIncrement() * 7919L, 100_000_000L));
  }
}
