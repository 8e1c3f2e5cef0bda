package org.yzt.store;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.yzt.config.RedisConfig;

/**
 * A client per Redis Cluster master, for the one thing the cluster client cannot do: WAIT after a
 * write (SPEC §11, {@code redis.waitReplicas}) must go on the connection that wrote, and the cluster
 * client sends a keyless command such as WAIT to any master. Which master serves a slot comes from
 * CLUSTER SLOTS (the embedded Redis 6.2 has no CLUSTER SHARDS), learnt again after a failover
 * ({@link #forget}: a write that failed, or was redirected, on the master thought to serve it).
 * The per-master clients use the seed URL's scheme and credentials and the service's pool settings.
 */
public final class ClusterMasters {
  private record Range(int from, int to, String endpoint) {}

  private final Vertx vertx;
  private final JsonObject config;
  private final Redis cluster;
  private final long timeoutMs;
  private final String scheme;
  private final String userInfo;
  private final Map<String, Redis> clients = new ConcurrentHashMap<>();
  private volatile Future<List<Range>> ranges;

  public ClusterMasters(Vertx vertx, JsonObject config, Redis cluster) {
    this.vertx = vertx;
    this.config = config;
    this.cluster = cluster;
    RedisConfig r = RedisConfig.from(config);
    this.timeoutMs = r.commandTimeoutMs();
    URI seed = URI.create(r.endpoints().get(0));
    this.scheme = seed.getScheme();
    this.userInfo = seed.getRawUserInfo();
  }

  /** The client of the master that serves {@code slot} now. */
  public Future<Redis> clientFor(int slot) {
    return slots().map(all -> {
      for (Range r : all) {
        if (slot >= r.from() && slot <= r.to()) {
          return clients.computeIfAbsent(r.endpoint(), this::client);
        }
      }
      forget();
      throw new IllegalStateException("no master serves slot " + slot + " (the cluster is changing)");
    });
  }

  /** A client of every master that serves slots now (each once, however many ranges it serves). */
  public Future<List<Redis>> all() {
    return slots().map(all -> {
      List<Redis> out = new ArrayList<>();
      all.stream().map(Range::endpoint).distinct()
          .forEach(endpoint -> out.add(clients.computeIfAbsent(endpoint, this::client)));
      return out;
    });
  }

  /** Drops what is known of the slots: the next write asks the cluster again. */
  public void forget() {
    ranges = null;
  }

  private Future<List<Range>> slots() {
    Future<List<Range>> known = ranges;
    if (known == null || known.failed()) {
      known = cluster.send(Request.cmd(Command.CLUSTER).arg("SLOTS")).timeout(timeoutMs, TimeUnit.MILLISECONDS)
          .map(ClusterMasters::parse);
      ranges = known;
    }
    return known;
  }

  private static List<Range> parse(Response reply) {
    List<Range> out = new ArrayList<>();
    for (Response r : reply) {
      Response master = r.get(2);
      out.add(new Range(r.get(0).toInteger(), r.get(1).toInteger(), master.get(0).toString() + ":" + master.get(1).toInteger()));
    }
    return out;
  }

  private Redis client(String hostPort) {
    RedisOptions options = RedisSetup.options(config).setType(RedisClientType.STANDALONE);
    options.setEndpoints(new ArrayList<>(List.of(scheme + "://" + (userInfo == null ? "" : userInfo + "@") + hostPort)));
    return Redis.createClient(vertx, options);
  }
}
