package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Locale;

/**
 * {@code redis.*} (SPEC §11): how this process reaches Redis and how durable a submission must be.
 *
 * @param type             {@code standalone} (one URL), {@code sentinel} (the sentinels say who is primary) or
 *                         {@code cluster} (Redis Cluster: {@code endpoints} are URLs of some of its masters)
 * @param connectionString standalone: {@code redis[s]://[user:password@]host:port/db}
 * @param endpoints        sentinel: the sentinels' URLs; credentials and {@code rediss} in them apply to
 *                         the data nodes too; cluster: seed masters' URLs
 * @param masterName       sentinel: the monitored master's name
 * @param caFile           PEM certificates to trust for {@code rediss://} (empty: the JVM's trust store)
 * @param waitReplicas     a submission is answered after this many replicas acknowledged it (0: no WAIT)
 * @param waitTimeoutMs    how long a submission waits for them; after it, the answer goes out anyway
 * @param commandTimeoutMs one command or script
 * @param roleCheckMs      sentinel: how often the node the sentinels named is asked for its ROLE (a READONLY
 *                         reply asks at once); 0: only after a READONLY reply
 */
public record RedisConfig(Type type, String connectionString, List<String> endpoints, String masterName, String caFile,
    int maxPoolSize, int maxPoolWaiting, int maxWaitingHandlers, int waitReplicas, long waitTimeoutMs,
    long commandTimeoutMs, long roleCheckMs) {

  public enum Type { STANDALONE, SENTINEL, CLUSTER }

  private static final String S = "redis";

  /** Longest {@code waitTimeoutMs}: leaves the submission script and the reply time within the gateway's 1.8 s. */
  public static final long MAX_WAIT_MS = 1000;

  /** Reads the {@code redis} section of the whole configuration; refuses a sentinel set-up without sentinels. */
  public static RedisConfig from(JsonObject config) {
    JsonObject r = ConfigValues.section(config, S);
    Type type = type(ConfigValues.text(r, S, "type", "standalone"));
    List<String> endpoints = ConfigValues.texts(r, S, "endpoints");
    String masterName = ConfigValues.text(r, S, "masterName", "mymaster");
    if (type == Type.SENTINEL && (endpoints.isEmpty() || masterName.isBlank())) {
      throw new IllegalArgumentException("redis.type sentinel needs redis.endpoints (sentinel URLs) and redis.masterName");
    }
    if (type == Type.CLUSTER && endpoints.isEmpty()) {
      throw new IllegalArgumentException("redis.type cluster needs redis.endpoints (URLs of some of its masters)");
    }
    long waitTimeoutMs = ConfigValues.positive(r, S, "waitTimeoutMs", 200);
    if (waitTimeoutMs > MAX_WAIT_MS) {
      // the gateway gives a submission 1.8 s in all (SPEC §2.6: 503 within 2 s); a longer WAIT would
      // turn accepted queries into 503s
      throw new IllegalArgumentException("redis.waitTimeoutMs must be between 1 and " + MAX_WAIT_MS);
    }
    return new RedisConfig(type, ConfigValues.text(r, S, "connectionString", "redis://127.0.0.1:6379/0"), endpoints,
        masterName, ConfigValues.text(ConfigValues.section(r, S, "tls"), S + ".tls", "caFile", ""),
        ConfigValues.intAtLeast(r, S, "maxPoolSize", 1, 32),
        // -1: no bound, as Vert.x takes it
        ConfigValues.intAtLeast(r, S, "maxPoolWaiting", -1, 2048),
        ConfigValues.intAtLeast(r, S, "maxWaitingHandlers", 1, 4096),
        ConfigValues.intAtLeast(r, S, "waitReplicas", 0, 0), waitTimeoutMs,
        ConfigValues.positive(r, S, "commandTimeoutMs", 1500),
        ConfigValues.atLeast(r, S, "roleCheckMs", 0, 1000));
  }

  private static Type type(String name) {
    for (Type t : Type.values()) {
      if (t.name().toLowerCase(Locale.ROOT).equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("redis.type must be standalone, sentinel or cluster, not " + name);
  }
}
