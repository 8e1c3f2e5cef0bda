package org.yzt.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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
 */
public record RedisConfig(Type type, String connectionString, List<String> endpoints, String masterName, String caFile,
    int maxPoolSize, int maxPoolWaiting, int maxWaitingHandlers, int waitReplicas, long waitTimeoutMs,
    long commandTimeoutMs) {

  public enum Type { STANDALONE, SENTINEL, CLUSTER }

  /** Longest {@code waitTimeoutMs}: leaves the submission script and the reply time within the gateway's 1.8 s. */
  public static final long MAX_WAIT_MS = 1000;

  /** Reads the {@code redis} section of the whole configuration; refuses a sentinel set-up without sentinels. */
  public static RedisConfig from(JsonObject config) {
    JsonObject r = config.getJsonObject("redis", new JsonObject());
    Type type = type(r.getString("type", "standalone"));
    List<String> endpoints = new ArrayList<>();
    for (Object e : r.getJsonArray("endpoints", new JsonArray())) {
      endpoints.add(String.valueOf(e));
    }
    String masterName = r.getString("masterName", "mymaster");
    if (type == Type.SENTINEL && (endpoints.isEmpty() || masterName == null || masterName.isBlank())) {
      throw new IllegalArgumentException("redis.type sentinel needs redis.endpoints (sentinel URLs) and redis.masterName");
    }
    if (type == Type.CLUSTER && endpoints.isEmpty()) {
      throw new IllegalArgumentException("redis.type cluster needs redis.endpoints (URLs of some of its masters)");
    }
    long waitTimeoutMs = r.getLong("waitTimeoutMs", 200L);
    if (waitTimeoutMs < 1 || waitTimeoutMs > MAX_WAIT_MS) {
      // the gateway gives a submission 1.8 s in all (SPEC §2.6: 503 within 2 s); a longer WAIT would
      // turn accepted queries into 503s
      throw new IllegalArgumentException("redis.waitTimeoutMs must be between 1 and " + MAX_WAIT_MS);
    }
    return new RedisConfig(type, r.getString("connectionString"), List.copyOf(endpoints), masterName,
        r.getJsonObject("tls", new JsonObject()).getString("caFile", ""),
        r.getInteger("maxPoolSize", 32), r.getInteger("maxPoolWaiting", 2048), r.getInteger("maxWaitingHandlers", 4096),
        Math.max(0, r.getInteger("waitReplicas", 0)), waitTimeoutMs, r.getLong("commandTimeoutMs", 1500L));
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
