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

  private static final AtomicInteger NEXT_ID = new AtomicInteger((int) (System.nanoTime() % 100_000));
  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};

  /** 17 digits and their GB 11643 check character. */
  public static String idNumber(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * WEIGHTS[i];
    }
    return first17 + "10X98765432".charAt(sum % 11);
  }

  /** A fresh valid ID number (born 1990-03-07, a sequence of its own), so no two tests share an ID's window. */
  public static String freshIdNumber() {
    int n = Math.floorMod(NEXT_ID.getAndIncrement() * 7919, 100_000);
    return idNumber("3101" + String.format("%02d", n / 1000) + "19900307" + String.format("%03d", n % 1000));
  }

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
