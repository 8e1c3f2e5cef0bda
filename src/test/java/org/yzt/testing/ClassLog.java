package org.yzt.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * What the service logs while one test class runs, in a file of its own
 * ({@code target/test-logs/<class>.log}, written anew), for the privacy sweeps that read the log.
 * {@link #start} with {@link Level#DEBUG} lowers {@code org.yzt} to DEBUG so the sweep reads the debug
 * lines too; {@link #close} puts the level back and detaches the file.
 */
public final class ClassLog implements AutoCloseable {
  private final Path file;
  private final FileAppender<ILoggingEvent> appender;
  private final Logger yzt;
  private final Level oldLevel;

  private ClassLog(Path file, FileAppender<ILoggingEvent> appender, Logger yzt, Level oldLevel) {
    this.file = file;
    this.appender = appender;
    this.yzt = yzt;
    this.oldLevel = oldLevel;
  }

  public static ClassLog start(Class<?> testClass, Level level) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    Path file = Path.of("target", "test-logs", testClass.getSimpleName() + ".log");
    try {
      Files.createDirectories(file.getParent());
      Files.deleteIfExists(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{36} - %msg %kvp%n");
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();
    FileAppender<ILoggingEvent> appender = new FileAppender<>();
    appender.setContext(context);
    appender.setName("class-log-" + testClass.getSimpleName());
    appender.setFile(file.toString());
    appender.setAppend(true);
    appender.setEncoder(encoder);
    appender.start();
    context.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
    Logger yzt = context.getLogger("org.yzt");
    Level old = yzt.getLevel();
    if (level != null) {
      yzt.setLevel(level);
    }
    return new ClassLog(file, appender, yzt, old);
  }

  public Path file() {
    return file;
  }

  /** Everything logged so far. */
  public String text() {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    yzt.setLevel(oldLevel);
    ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(appender);
    appender.stop();
  }
}
