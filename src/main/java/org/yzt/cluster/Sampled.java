package org.yzt.cluster;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WARN line at most once per interval, with how many were left out since (SPEC §10: security lines
 * are sampled, so a stranger knocking in a loop cannot fill the log).
 */
final class Sampled {
  private final Logger log;
  private final long intervalMs;
  private final AtomicLong next = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();

  Sampled(Class<?> owner, long intervalMs) {
    this.log = LoggerFactory.getLogger(owner);
    this.intervalMs = intervalMs;
  }

  void warn(String format, Object arg) {
    long now = System.currentTimeMillis();
    long due = next.get();
    if (now >= due && next.compareAndSet(due, now + intervalMs)) {
      long left = skipped.getAndSet(0);
      log.warn(format + " ({} more since the last such line)", arg, left);
    } else {
      skipped.incrementAndGet();
    }
  }
}
