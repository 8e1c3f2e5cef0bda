package org.yzt.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A test's clock for the service, which reads UTC milliseconds only: a subclass says what {@link #millis} is. */
abstract class UtcMillisClock extends Clock {
  @Override
  public abstract long millis();

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the service reads UTC milliseconds only");
  }
}
