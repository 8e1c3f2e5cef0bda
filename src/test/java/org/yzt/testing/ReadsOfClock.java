package org.yzt.testing;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The system clock, counting the reads made from inside one class of the service (found on the
 * caller's stack) and remembering the Vert.x context of the last such read. A read is the first thing
 * some pieces of work do (an SMS attempt reads it for its timeout): a test sees such work happen
 * synchronously, on the thread that does it, instead of waiting for its effects elsewhere.
 */
public final class ReadsOfClock extends UtcMillisClock {
  private final String reader;
  private final AtomicInteger reads = new AtomicInteger();
  private final AtomicReference<Context> lastContext = new AtomicReference<>();

  /** Counts the reads made by {@code reader} (or its nested classes). */
  public ReadsOfClock(Class<?> reader) {
    this.reader = reader.getName();
  }

  public int reads() {
    return reads.get();
  }

  /** The Vert.x context of the last counted read (null when none was on a context). */
  public Context lastContext() {
    return lastContext.get();
  }

  @Override
  public long millis() {
    boolean counted = StackWalker.getInstance().walk(frames -> frames.limit(12)
        .anyMatch(f -> f.getClassName().equals(reader) || f.getClassName().startsWith(reader + "$")));
    if (counted) {
      Context ctx = Vertx.currentContext();
      if (ctx != null) {
        lastContext.set(ctx);
      }
      reads.incrementAndGet();
    }
    return System.currentTimeMillis();
  }
}
