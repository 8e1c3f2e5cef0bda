package org.yzt.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yzt.config.ConfigLoader;

/**
 * What a subcommand gets from the command line: the service's own configuration (the same
 * {@code -conf} file and {@code YZT_*} variables the service reads) and where to print.
 */
public final class CliContext {
  private final String confFile;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;

  public CliContext(String confFile, Map<String, String> env, PrintStream out, PrintStream err) {
    this.confFile = confFile;
    this.env = env;
    this.out = out;
    this.err = err;
  }

  /** The merged configuration, read as the service reads it. */
  public JsonObject config() {
    Vertx bootstrap = Vertx.vertx();
    try {
      return ConfigLoader.load(bootstrap, confFile, env).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new CliFailure("cannot read configuration: " + e.getMessage());
    } finally {
      bootstrap.close();
    }
  }

  /** The environment the command was started with (for {@code YZT_*} values a command reads itself). */
  public Map<String, String> env() {
    return env;
  }

  public PrintStream out() {
    return out;
  }

  public PrintStream err() {
    return err;
  }

  /** A failure with a one-line reason; the subcommand prints it and exits non-zero. */
  public static final class CliFailure extends RuntimeException {
    public CliFailure(String reason) {
      super(reason, null, false, false);
    }
  }

  /** A command line that does not parse; exits {@link Subcommand#USAGE}. */
  public static final class UsageError extends RuntimeException {
    public UsageError(String reason) {
      super(reason, null, false, false);
    }
  }
}
