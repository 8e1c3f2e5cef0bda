package org.yzt.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Drops one known, harmless start-up warning: vertx-micrometer-metrics 5.0.7 registers its shared
 * gauge {@code vertx.eventbus.handlers} again for every event-bus consumer, and Micrometer 1.15
 * warns once ("This Gauge has been already registered") although the gauge counts correctly. Only
 * that message about a {@code vertx.*} meter is dropped; the same warning about one of our meters
 * still shows.
 */
public final class VertxGaugeWarningFilter extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    if ("MeterRegistry".equals(event.getLoggerName())) {
      String m = event.getFormattedMessage();
      if (m != null && m.startsWith("This Gauge has been already registered (MeterId{name='vertx.")) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
