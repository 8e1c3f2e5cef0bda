package org.yzt.store;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import io.vertx.redis.client.RedisRole;
import java.util.ArrayList;
import org.yzt.config.RedisConfig;

/**
 * The one place that turns the {@code redis} configuration section into client options, so the
 * service and the operator commands reach Redis the same way.
 */
public final class RedisSetup {
  private RedisSetup() {}

  /**
   * The process's shared client: in Sentinel mode one that checks ROLE of the node it was given
   * ({@link RoleCheckedRedis}), otherwise the plain client of {@link #options}.
   */
  public static Redis client(Vertx vertx, JsonObject config, MeterRegistry registry) {
    RedisConfig r = RedisConfig.from(config);
    if (r.type() == RedisConfig.Type.SENTINEL) {
      return new RoleCheckedRedis(vertx, options(config), r.roleCheckMs(), r.commandTimeoutMs(), registry);
    }
    return Redis.createClient(vertx, options(config));
  }

  public static RedisOptions options(JsonObject config) {
    RedisConfig r = RedisConfig.from(config);
    RedisOptions options = new RedisOptions()
        .setMaxPoolSize(r.maxPoolSize())
        .setMaxPoolWaiting(r.maxPoolWaiting())
        .setMaxWaitingHandlers(r.maxWaitingHandlers())
        // no span per Redis command: an operator follows the request, its bus hops, the job's steps and
        // the partner calls (SPEC §11); a command span would only add to every traced request's cost
        // (a submission sends two or more) and hand the tracer each command of an untraced one
        .setTracingPolicy(TracingPolicy.IGNORE);
    if (r.type() == RedisConfig.Type.SENTINEL) {
      // the client asks a sentinel for the primary (cached 1 s) before it opens a pooled connection,
      // so once a failed connection is dropped the next one goes to the promoted replica; auto
      // failover (5.0.7: a +switch-master subscription) also moves connections borrowed at that moment
      options.setType(RedisClientType.SENTINEL)
          .setEndpoints(new ArrayList<>(r.endpoints()))
          .setMasterName(r.masterName())
          .setRole(RedisRole.MASTER)
          .setAutoFailover(true);
      // a sentinel that missed the failover can still name the old primary: client(…) checks ROLE
    } else if (r.type() == RedisConfig.Type.CLUSTER) {
      // the client learns the slots from a seed (CLUSTER SLOTS, cached 1 s, again at once after a
      // MOVED), sends each command to the master of its keys' slot, follows MOVED and ASK, and retries
      // on TRYAGAIN/CLUSTERDOWN while a replica is promoted; replicas are never read (writes only)
      options.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
      for (String endpoint : r.endpoints()) {
        options.addConnectionString(endpoint);
      }
    } else {
      options.setType(RedisClientType.STANDALONE).setConnectionString(r.connectionString());
    }
    // only used by rediss:// connections; the certificate must name the host (or IP) dialled
    options.getNetClientOptions().setHostnameVerificationAlgorithm("HTTPS");
    if (!r.caFile().isBlank()) {
      options.getNetClientOptions().setTrustOptions(new PemTrustOptions().addCertPath(r.caFile()));
    }
    return options;
  }
}
