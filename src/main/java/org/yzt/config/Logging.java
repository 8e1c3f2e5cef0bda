package org.yzt.config;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import io.vertx.core.json.JsonObject;
import java.net.URL;
import org.slf4j.LoggerFactory;

/**
 * {@code log.format}: "text" (the default, {@code logback.xml}) or "json" (one JSON object per line,
 * {@code logback-json.xml}). Applied once the configuration is read, before Vert.x starts.
 */
public final class Logging {
  private Logging() {}

  /** Writes out what the asynchronous appender still holds and stops logging: the last step before exit. */
  public static void stop() {
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.stop();
    }
  }

  public static void apply(JsonObject config) {
    String format = ConfigValues.text(ConfigValues.section(config, "log"), "log", "format", "text");
    if (!"json".equals(format) || System.getProperty("logback.configurationFile") != null) {
      return;
    }
    URL json = Logging.class.getClassLoader().getResource("logback-json.xml");
    if (json != null && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      try {
        configurator.doConfigure(json);
      } catch (JoranException e) {
        throw new IllegalStateException("cannot apply logback-json.xml", e);
      }
    }
  }
}
