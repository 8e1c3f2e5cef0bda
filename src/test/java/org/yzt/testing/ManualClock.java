package org.yzt.testing;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's wall clock ({@code AppContext.clock}) as a test drives it: the system clock plus an
 * offset the test moves. It keeps ticking in real time, so waits the service bounds by its clock
 * still end; {@link #advance} makes a window, a park or a retention pass at once. Only Java's reads
 * move: Redis's own expiry (PX, PEXPIRE) and timers (Vert.x, Deadlines) stay on real time.
 */
public final class ManualClock extends UtcMillisClock {
  private final AtomicLong offsetMs = new AtomicLong();

  /** Moves the clock forward by {@code d} (for every later read, from any thread). */
  public void advance(Duration d) {
    offsetMs.addAndGet(d.toMillis());
  }

  /** Back to the system clock: a class's later tests see real time again. */
  public void reset() {
    offsetMs.set(0);
  }

  @Override
  public long millis() {
    return System.currentTimeMillis() + offsetMs.get();
  }
}
