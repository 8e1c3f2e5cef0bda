package org.yzt.pipeline;

import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;

/**
 * A shard's stream and consumer group created again when Redis lost them (NOGROUP: a restart without
 * persistence, a failover to an empty replica, a flush), once however many of a worker's callers saw it.
 * Used from the worker's context. Logged as {@link PipelineVerticle}, whose work it is.
 */
final class GroupRecreation {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineVerticle.class);

  private final JobStream stream;
  private final ShardRotation shards;
  /** Group re-creations in flight (NOGROUP seen), by shard, shared by the read loop and the reclaimer. */
  private final Map<Shard, Future<Void>> recreating = new HashMap<>();

  GroupRecreation(JobStream stream, ShardRotation shards) {
    this.stream = stream;
    this.shards = shards;
  }

  /**
   * Redis lost a shard's stream or group: create both again (once, however many callers saw NOGROUP).
   * The stream of the layout before sharding is not created again: gone, it is drained.
   */
  Future<Void> recreate(Shard shard) {
    if (shard.legacy()) {
      shards.drop(Shard.LEGACY);
      return Future.succeededFuture();
    }
    Future<Void> pending = recreating.get(shard);
    if (pending != null) {
      return pending;
    }
    LOG.warn("the job stream {} or its consumer group is gone (Redis lost its data); creating them again", shard.stream());
    Future<Void> created = stream.ensureGroup(shard)
        .onSuccess(v -> LOG.info("job stream {} and consumer group {} created again", shard.stream(), RedisKeys.JOB_GROUP))
        .onFailure(err -> LOG.warn("creating the consumer group failed ({}); retrying", JobStream.describe(err)));
    if (!created.isComplete()) {
      recreating.put(shard, created);
      created.onComplete(ar -> recreating.remove(shard));
    }
    return created;
  }
}
