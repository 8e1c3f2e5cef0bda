package org.yzt.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
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
 *
 * <p>Private to the user who starts it (SPEC §11): a random password (in its configuration file,
 * never on a command line another user can read; handed to the service in {@link #url()}), no
 * {@code CONFIG}, {@code MODULE} or {@code DEBUG} commands (renamed away: another local user who
 * learnt the port still could not make it write a file or load code), its folders 0700 and owned by
 * this user (a link or another user's folder is refused), its files created 0600 without following a
 * link, and its binary's SHA-256 checked against the one inside the jar before every start.
 * Blocking by design: it is started on the main thread before Vert.x exists and closed from the
 * shutdown hook after Vert.x has closed, never on an event loop.
 */
public final class EmbeddedRedis implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRedis.class);
  /** The version of the binaries the library ships for Linux x86-64/arm64 and macOS (6.2.11 inside a file named 6.2.6). */
  public static final String VERSION = "6.2";
  private static final String PID_FILE = "redis.pid";
  private static final String CONF_FILE = "redis.conf";
  /** Commands a private dev Redis has no use for, and that let a client write files or run code. */
  static final List<String> DISABLED_COMMANDS = List.of("CONFIG", "MODULE", "DEBUG");
  private static final long READY_MS = 10_000;

  private final int port;
  private final String password;
  private final Path dataDir;
  private final Process redis;
  private final Process watchdog;

  private EmbeddedRedis(int port, String password, Path dataDir, Process redis, Process watchdog) {
    this.port = port;
    this.password = password;
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
      PrivateFolder.ensure(baseDir);
      PrivateFolder.ensure(dataDir);
      reapLeftover(dataDir);
      Path binary = binary(PrivateFolder.ensure(baseDir.resolve("bin")));
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
   * The {@code redis-server} binary for this machine, unpacked into {@code binDir} (moved into place
   * atomically, so two processes starting together never run a half-written file) and checked
   * against the SHA-256 of the one inside the jar: a file that differs (changed, or planted) is
   * replaced, never run.
   */
  public static Path binary(Path binDir) throws IOException {
    String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
    if (resource == null) {
      throw new IOException("no embedded redis-server for this operating system and architecture");
    }
    String expected = shippedSha256(resource);
    Path target = binDir.resolve(Path.of(resource).getFileName().toString());
    if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Files.isExecutable(target)
        && expected.equals(PrivateFolder.sha256(target))) {
      return target;
    }
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      LOG.warn("the embedded redis-server in {} is not the one inside the jar; replacing it", binDir);
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
    if (!expected.equals(PrivateFolder.sha256(target))) {
      throw new IOException("the unpacked redis-server does not match the one inside the jar");
    }
    return target;
  }

  /** SHA-256 of the binary as the jar ships it. */
  private static String shippedSha256(String resource) throws IOException {
    String name = resource.startsWith("/") ? resource : "/" + resource;
    try (InputStream in = ExecutableProvider.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException("the embedded redis-server " + name + " is missing from the class path");
      }
      return PrivateFolder.sha256(in);
    }
  }

  private static EmbeddedRedis launch(Path binary, int port, Path dataDir) throws IOException {
    String password = HexFormat.of().formatHex(randomBytes(24));
    // the password and the rest in a 0600 file of the private folder: a command line is world-readable
    StringBuilder conf = new StringBuilder()
        .append("port ").append(port).append('\n')
        .append("bind 127.0.0.1\n")
        .append("protected-mode yes\n")
        .append("daemonize no\n")
        .append("dir \"").append(dataDir.toAbsolutePath()).append("\"\n")
        .append("appendonly yes\n")
        .append("appendfsync everysec\n")
        .append("save \"\"\n")
        .append("requirepass ").append(password).append('\n');
    for (String command : DISABLED_COMMANDS) {
      conf.append("rename-command ").append(command).append(" \"\"\n");
    }
    Path confFile = dataDir.resolve(CONF_FILE);
    PrivateFolder.write(confFile, conf.toString().getBytes(StandardCharsets.UTF_8));
    Path log = dataDir.resolve("redis.log");
    PrivateFolder.touch(log);
    Process redis = new ProcessBuilder(binary.toString(), confFile.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    long ownPid = ProcessHandle.current().pid();
    PrivateFolder.write(dataDir.resolve(PID_FILE), (redis.pid() + " " + ownPid + "\n").getBytes(StandardCharsets.US_ASCII));
    Process watchdog = startWatchdog(ownPid, redis.pid());
    EmbeddedRedis started = new EmbeddedRedis(port, password, dataDir, redis, watchdog);
    long until = System.currentTimeMillis() + READY_MS;
    while (System.currentTimeMillis() < until) {
      if (!redis.isAlive()) {
        started.close();
        throw new IllegalStateException("the embedded Redis exited at start (see " + dataDir.resolve("redis.log") + ")");
      }
      // a restart with a large AOF answers LOADING for a while: wait for PONG
      if (RedisProbe.ping("127.0.0.1", port, password, 500)) {
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

  /** The URL the service connects with: its password included (never log it; {@link #address()} is for logs). */
  public String url() {
    return "redis://:" + password + "@127.0.0.1:" + port + "/0";
  }

  /** The address without the password, as a log line may name it. */
  public String address() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  String password() {
    return password;
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

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
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
