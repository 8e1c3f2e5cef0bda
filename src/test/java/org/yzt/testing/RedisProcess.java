package org.yzt.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@code redis-server} (or sentinel) with the arguments a test needs (replication, TLS, ACL),
 * for set-ups {@link RedisServer} does not make. Ready when its log says so; {@link #kill()} is a crash.
 */
public final class RedisProcess implements AutoCloseable {
  private final int port;
  private final Path log;
  private final Process process;

  private RedisProcess(int port, Path log, Process process) {
    this.port = port;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code redis-server args…} logging to {@code dir/name.log} and waits until the log holds
   * {@code readyLine} ("Ready to accept connections", or "+monitor" for a sentinel).
   */
  public static RedisProcess start(Path dir, String name, int port, String readyLine, List<String> args) {
    List<String> cmd = new ArrayList<>(List.of(RedisServer.executable()));
    cmd.addAll(args);
    Path log = dir.resolve(name + ".log");
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      RedisProcess rp = new RedisProcess(port, log, p);
      rp.awaitLog(readyLine, 10_000);
      return rp;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + RedisServer.executable() + ": " + e.getMessage(), e);
    }
  }

  /** The port was taken between its pick and the server's bind: pick another ({@link #onFreePort}). */
  public static final class PortTaken extends IllegalStateException {
    PortTaken(int port) {
      super("port " + port + " was taken before redis-server could bind it");
    }
  }

  /**
   * Runs {@code start} with a free port, and again with another when the port was taken before the
   * server bound it: redis-server cannot listen on port 0 and report the port it got, so the port is
   * picked, bound, and picked again on a clash (pick, bind, retry).
   */
  public static <T> T onFreePort(java.util.function.IntFunction<T> start) {
    for (int attempt = 1; ; attempt++) {
      try {
        return start.apply(RedisServer.freePort());
      } catch (PortTaken e) {
        if (attempt >= 5) {
          throw e;
        }
      }
    }
  }

  /** True when a redis-server's log says its port was taken. */
  static boolean portTaken(String log) {
    return log.contains("Address already in use");
  }

  public int port() {
    return port;
  }

  /** Waits until the log has a line containing {@code text}. */
  public void awaitLog(String text, long timeoutMs) {
    long until = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < until) {
      if (logText().contains(text)) {
        return;
      }
      if (!process.isAlive()) {
        if (portTaken(logText())) {
          throw new PortTaken(port);
        }
        throw new IllegalStateException("redis-server on " + port + " exited: " + logText());
      }
      sleep(20);
    }
    throw new IllegalStateException("no '" + text + "' from redis-server on " + port + ": " + logText());
  }

  public String logText() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "";
    }
  }

  /** One command over plain TCP (no auth), its reply as redis-cli prints it, trimmed. */
  public String cli(String... args) {
    return RedisServer.command(port, args).trim();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Kills the process at once, as a crash or a lost machine would. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    kill();
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
