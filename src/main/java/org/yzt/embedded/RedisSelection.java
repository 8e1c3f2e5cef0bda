package org.yzt.embedded;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.config.RedisConfig;
import org.yzt.config.EmbeddedRedisConfig;

/**
 * Which Redis this process uses: the one at {@code redis.connectionString} when it answers, or,
 * with {@code redis.embedded} true (the dev default) and nothing listening there, a private
 * {@link EmbeddedRedis} whose address replaces the configured one. Logs one line saying which.
 */
public final class RedisSelection {
  private static final Logger LOG = LoggerFactory.getLogger(RedisSelection.class);
  private static final int PROBE_MS = 500;

  /** The Redis chosen; {@code embedded} is null when the configured one is used. */
  public record Chosen(JsonObject config, EmbeddedRedis embedded) {}

  private RedisSelection() {}

  /**
   * Returns the configuration to run with (a copy with the embedded address when one was started).
   *
   * @throws IllegalStateException with a one-line reason when an embedded Redis is needed and
   *     cannot start
   */
  public static Chosen choose(JsonObject config, Map<String, String> env) {
    RedisConfig redis = RedisConfig.from(config);
    EmbeddedRedisConfig dev = EmbeddedRedisConfig.from(config);
    URI uri = URI.create(Objects.requireNonNullElse(redis.connectionString(), ""));
    String host = uri.getHost() == null ? "127.0.0.1" : uri.getHost();
    int port = uri.getPort() < 0 ? 6379 : uri.getPort();
    boolean standalone = redis.type() == RedisConfig.Type.STANDALONE;
    if (!dev.embedded() || !standalone || RedisProbe.listening(host, port, PROBE_MS)) {
      LOG.info("using Redis at {}", withoutCredentials(uri));
      return new Chosen(config, null);
    }
    Path base = baseDir(dev.embeddedDir(), env);
    EmbeddedRedis embedded = EmbeddedRedis.start(base);
    JsonObject chosen = config.copy();
    chosen.getJsonObject("redis").put("connectionString", embedded.url());
    LOG.info("nothing answers at {}: using an embedded Redis {} at {} (data in {}; it stops with the service)",
        withoutCredentials(uri), EmbeddedRedis.VERSION, embedded.address(), embedded.dataDir());
    return new Chosen(chosen, embedded);
  }

  /**
   * Where dev data lives: {@code redis.embeddedDir} when set, else the user's cache folder
   * ({@code $XDG_CACHE_HOME/yzt}, {@code ~/.cache/yzt}); never a shared temporary folder.
   */
  static Path baseDir(String configured, Map<String, String> env) {
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    String xdg = env.get("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "yzt");
    }
    Path home = Path.of(System.getProperty("user.home", ""));
    if (!home.toString().isEmpty() && Files.isWritable(home)) {
      return home.resolve(".cache").resolve("yzt");
    }
    // never a shared temporary folder: its name is predictable, and another user could be there first
    throw new IllegalStateException("no private folder for the embedded Redis (no XDG_CACHE_HOME, no writable home): "
        + "set redis.embeddedDir, or run a Redis at redis.connectionString");
  }

  /** The URL as it may be logged: scheme, host, port and database, never a user or password. */
  static String withoutCredentials(URI uri) {
    return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getPath() == null ? "" : uri.getPath());
  }
}
