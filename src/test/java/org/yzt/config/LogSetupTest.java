package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.spi.FilterReply;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** {@code log.format} and the one Micrometer warning about Vert.x's own gauges that is dropped. */
class LogSetupTest {
  static LoggingEvent event(String logger, String message) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    return new LoggingEvent(LogSetupTest.class.getName(), context.getLogger(logger), Level.WARN, message, null, null);
  }

  @Test
  void onlyMicrometersWarningAboutAVertxGaugeIsDropped() {
    VertxGaugeWarningFilter filter = new VertxGaugeWarningFilter();
    String vertx = "This Gauge has been already registered (MeterId{name='vertx.eventbus.handlers', tags=[]})";
    String ours = "This Gauge has been already registered (MeterId{name='yzt.pipeline.stream.length', tags=[]})";
    assertEquals(FilterReply.DENY, filter.decide(event("MeterRegistry", vertx)));
    assertEquals(FilterReply.NEUTRAL, filter.decide(event("MeterRegistry", ours)), "the same warning about our meter shows");
    assertEquals(FilterReply.NEUTRAL, filter.decide(event("org.yzt.App", vertx)), "another logger saying it shows");
    assertEquals(FilterReply.NEUTRAL, filter.decide(event("MeterRegistry", null)));
  }

  @Test
  void jsonFormatWritesOneJsonObjectPerLineAndTextChangesNothing() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
    java.util.List<String> appenders = appenderNames(root);
    Logging.apply(new JsonObject()); // text: the default, nothing changes
    Logging.apply(new JsonObject().put("log", new JsonObject().put("format", "text")));
    assertEquals(appenders, appenderNames(root), "the same appenders, not logback-json.xml's");
    PrintStream stdout = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      Logging.apply(new JsonObject().put("log", new JsonObject().put("format", "json")));
      LoggerFactory.getLogger("org.yzt.probe").warn("json-probe");
      // logback-json.xml's appender is asynchronous
      org.yzt.testing.Wait.waitUntil(5_000, () -> captured.toString(StandardCharsets.UTF_8).contains("json-probe"));
    } finally {
      System.setOut(stdout);
      // back to the tests' own configuration
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogSetupTest.class.getClassLoader().getResource("logback-test.xml"));
    }
    String line = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains("json-probe")).findFirst()
        .orElseThrow(() -> new AssertionError("no JSON line: " + captured));
    assertEquals("json-probe", new JsonObject(line).getString("formattedMessage"), line);
    assertFalse(line.contains(" WARN "), "not the text format: " + line);
    assertTrue(countAppenders(root) > 0);
  }

  @Test
  void stopEndsLoggingSoTheLastLinesAreWrittenBeforeExit() throws Exception {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    assertTrue(context.isStarted());
    try {
      Logging.stop();
      assertFalse(context.isStarted(), "the context (and with it the asynchronous appender) is stopped");
    } finally {
      context.reset();
      JoranConfigurator configurator = new JoranConfigurator();
      configurator.setContext(context);
      configurator.doConfigure(LogSetupTest.class.getClassLoader().getResource("logback-test.xml"));
      context.start();
    }
    assertTrue(context.isStarted());
  }

  static java.util.List<String> appenderNames(Logger logger) {
    java.util.List<String> names = new java.util.ArrayList<>();
    logger.iteratorForAppenders().forEachRemaining(a -> names.add(a.getName()));
    return names;
  }

  static int countAppenders(Logger logger) {
    int n = 0;
    for (var it = logger.iteratorForAppenders(); it.hasNext(); it.next()) {
      n++;
    }
    return n;
  }
}
