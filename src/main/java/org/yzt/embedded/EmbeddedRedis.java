package org.yzt.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * A private {@code redis-server} for the dev profile: the binary shipped inside
 * {@code com.github.codemonstur:embedded-redis} (6.2), on a free loopback port, with its AOF and
 * log in one data directory. It is a child of this JVM and never outlives it: {@link #close()} stops
 * it on a normal exit or SIGTERM; a small watchdog shell stops it within a second when the JVM is
 * killed outright; and a Redis left behind all the same (its owner gone) is reaped at the next start.
 * Blocking by design: it is started on the main thread before Vert.x exists and closed from the
 * shutdown hook after Vert.x has closed, never on an event loop.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  /** The version of the binaries the library ships for Linux x86-64/arm64 and macOS (6.2.11 inside a file named 6.2.6). */
  public static final String VERSION = "6.2";
  private static final String PID_FILE = "redis.pid";
  private static final long READY_MS = 10_000;

  private final int port;
  private final Path dataDir;
  private final Process redis;
  private final Process watchdog;

  private EmbeddedRedis(int port, Path dataDir, Process redis, Process watchdog) {
    this.port = port;
    this.dataDir = dataDir;
    this.redis = redis;
    this.watchdog = watchdog;
  }

  /**
   * Starts a Redis whose data lives in {@code baseDir/redis} (binary in {@code baseDir/bin}).
   *
   * @throws IllegalStateException with a one-line reason when it cannot start
   */
  public static EmbeddedRedis start(Path baseDir) {
    Path dataDir = baseDir.resolve("redis");
    try {
      Files.createDirectories(dataDir);
      reapLeftover(dataDir);
      Path binary = binary(baseDir.resolve("bin"));
      IllegalStateException last = null;
      for (int attempt = 0; attempt < 3; attempt++) {
        int port = freePort();
        try {
          return launch(binary, port, dataDir);
        } catch (IllegalStateException e) {
          last = e; // most likely the port was taken between the probe and the bind: try another
        }
      }
      throw last;
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the embedded Redis in " + dataDir + ": " + e.getMessage());
    }
  }

  /**
   * The {@code redis-server} binary for this machine, unpacked once into {@code binDir} (moved into
   * place atomically, so two processes starting together never run a half-written file).
   */
  public static Path binary(Path binDir) throws IOException {
    String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
    if (resource == null) {
      throw new IOException("no embedded redis-server for this operating system and architecture");
    }
    Path target = binDir.resolve(Path.of(resource).getFileName().toString());
    if (Files.isExecutable(target)) {
      return target;
    }
    Files.createDirectories(binDir);
    Path scratch = Files.createTempDirectory(binDir, "unpack");
    try {
      Path unpacked = ExecutableProvider.newJarResourceProvider(scratch.toFile()).get().toPath();
      Files.move(unpacked, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try (var left = Files.list(scratch)) {
        for (Path p : (Iterable<Path>) left::iterator) {
          Files.deleteIfExists(p);
        }
      }
      Files.deleteIfExists(scratch);
    }
    return target;
  }

  private static EmbeddedRedis launch(Path binary, int port, Path dataDir) throws IOException {
    List<String> cmd = List.of(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--dir", dataDir.toString(), "--appendonly", "yes", "--appendfsync", "everysec", "--save", "",
        "--protected-mode", "yes", "--daemonize", "no");
    Process redis = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDir.resolve("redis.log").toFile())).start();
    long ownPid = ProcessHandle.current().pid();
    Files.writeString(dataDir.resolve(PID_FILE), redis.pid() + " " + ownPid + "\n");
    Process watchdog = startWatchdog(ownPid, redis.pid());
    EmbeddedRedis started = new EmbeddedRedis(port, dataDir, redis, watchdog);
    long until = System.currentTimeMillis() + READY_MS;
    while (System.currentTimeMillis() < until) {
      if (!redis.isAlive()) {
        started.close();
        throw new IllegalStateException("the embedded Redis exited at start (see " + dataDir.resolve("redis.log") + ")");
      }
      // a restart with a large AOF answers LOADING for a while: wait for PONG
      if (RedisProbe.ping("127.0.0.1", port, 500)) {
        return started;
      }
      sleep(50);
    }
    started.close();
    throw new IllegalStateException("the embedded Redis did not answer within " + READY_MS / 1000 + " s");
  }

  /** A POSIX shell that waits for this JVM to go, then stops the Redis: kill -9 leaves no orphan. */
  private static Process startWatchdog(long ownPid, long redisPid) {
    String script = "while kill -0 \"$0\" 2>/dev/null; do sleep 1; done; kill \"$1\" 2>/dev/null";
    try {
      return new ProcessBuilder("sh", "-c", script, Long.toString(ownPid), Long.toString(redisPid))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      // no POSIX shell (Windows): the pid file still lets the next start reap a leftover
      LOG.warn("no watchdog for the embedded Redis ({}); a leftover is stopped at the next start", e.getMessage());
      return null;
    }
  }

  /**
   * A Redis left by an earlier run in this data directory: stopped when its owner is gone; when
   * its owner still runs, the directory is in use and this start is refused.
   */
  private static void reapLeftover(Path dataDir) throws IOException {
    Path pidFile = dataDir.resolve(PID_FILE);
    if (!Files.exists(pidFile)) {
      return;
    }
    String[] pids = Files.readString(pidFile, StandardCharsets.US_ASCII).trim().split("\\s+");
    Optional<ProcessHandle> leftover = pids.length > 0 ? handle(pids[0]) : Optional.empty();
    Optional<ProcessHandle> owner = pids.length > 1 ? handle(pids[1]) : Optional.empty();
    if (leftover.isPresent() && leftover.get().info().command().orElse("").contains("redis-server")) {
      if (owner.isPresent()) {
        throw new IllegalStateException("the embedded Redis data directory " + dataDir
            + " is in use by process " + owner.get().pid() + " (set redis.embeddedDir to another folder)");
      }
      LOG.info("stopping an embedded Redis left by an earlier run (pid {})", leftover.get().pid());
      leftover.get().destroy();
      try {
        leftover.get().onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        leftover.get().destroyForcibly();
      }
    }
    Files.deleteIfExists(pidFile);
  }

  private static Optional<ProcessHandle> handle(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).filter(ProcessHandle::isAlive);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  public Path dataDir() {
    return dataDir;
  }

  public long pid() {
    return redis.pid();
  }

  /** Stops Redis (SIGTERM: it flushes its AOF and exits), then the watchdog. */
  @Override
  public void close() {
    redis.destroy();
    try {
      if (!redis.waitFor(10, TimeUnit.SECONDS)) {
        redis.destroyForcibly();
      }
    } catch (InterruptedException e) {
      redis.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (watchdog != null) {
      watchdog.destroy();
    }
    try {
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
    } catch (IOException e) {
      LOG.debug("pid file not removed: {}", e.getMessage());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** Waits at startup only: start() runs on the thread that calls Main.start, before any verticle, never on an event loop. */
  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
