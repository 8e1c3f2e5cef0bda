package org.yzt.testing;

import java.util.concurrent.atomic.AtomicInteger;

/** Fresh, valid China Mobile numbers, so that no two tests share a number's limits. */
public final class Numbers {
  private static final AtomicInteger NEXT = new AtomicInteger((int) (System.nanoTime() % 1_000_000));

  private Numbers() {}

  public static String fresh() {
    return "139" + String.format("%08d", Math.floorMod(NEXT.getAndIncrement() * 7919L, 100_000_000L));
  }
}
