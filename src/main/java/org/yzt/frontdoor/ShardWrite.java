package org.yzt.frontdoor;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.List;
import org.yzt.store.ClusterMasters;
import org.yzt.store.HashSlots;
import org.yzt.config.RedisConfig;
import org.yzt.store.RedisScript;
import org.yzt.store.ReplicaWait;
import org.yzt.store.Shard;
import org.yzt.runtime.AppContext;

/**
 * The number's step of a submission written to its shard: the script alone, or, with
 * {@code redis.waitReplicas} above 0, the script and WAIT on one borrowed connection (on a Redis
 * Cluster, a connection to the master of the shard's slot).
 */
final class ShardWrite {
  private final AppContext ctx;
  private final ReplicaWait replicaWait;
  /** On a Redis Cluster with {@code redis.waitReplicas}: the masters, each written and waited on directly. */
  private final ClusterMasters masters;

  ShardWrite(AppContext ctx) {
    this.ctx = ctx;
    this.replicaWait = new ReplicaWait(RedisConfig.from(ctx.config), ctx.metrics);
    this.masters = RedisConfig.from(ctx.config).type() == RedisConfig.Type.CLUSTER
        ? ctx.shared(ClusterMasters.class, () -> new ClusterMasters(ctx.vertx, ctx.config, ctx.redis)) : null;
  }

  /**
   * A number's step ({@code script}; {@code thenWait}, the same script on a borrowed connection, when
   * {@code redis.waitReplicas} is above 0, followed by WAIT), on a Redis Cluster on one connection to the
   * master of {@code shard}'s slot.
   */
  Future<Response> run(RedisScript script, RedisScript thenWait, Shard shard, List<String> keys, List<String> args,
      String requestId) {
    if (!replicaWait.enabled()) {
      return script.run(keys, args);
    }
    if (masters == null) {
      return replicaWait.write(ctx.redis, conn -> thenWait.run(conn, keys, args), ShardWrite::accepted, requestId);
    }
    // Redis Cluster: the script and its WAIT on one connection to the master of the shard's slot
    return masters.clientFor(HashSlots.slot(shard.tag()))
        .compose(master -> replicaWait.write(master, conn -> thenWait.run(conn, keys, args),
            ShardWrite::accepted, requestId))
        .onFailure(err -> masters.forget());
  }

  /** Only a new job needs to reach the replicas before it is answered; a replay or a refusal wrote nothing new. */
  static boolean accepted(Response r) {
    return "OK".equals(r.get(0).toString());
  }
}
