package org.yzt.testing;

import io.vertx.core.json.JsonObject;
import org.yzt.config.PipelineConfig;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;

/** The key layout of the default configuration ({@code pipeline.streamShards} 16), for tests that look into Redis. */
public final class Layout {
  /** Key names that need no personal-data token (shards, jobs, streams). */
  public static final RedisKeys KEYS = new RedisKeys(null, PipelineConfig.from(new JsonObject()).streamShards());

  private Layout() {}

  /** The record of a query, by its id. */
  public static String job(String queryId) {
    return KEYS.job(queryId);
  }

  /** The shard of a query, by its id. */
  public static Shard shardOf(String queryId) {
    return KEYS.shardOfQuery(queryId);
  }

  /** A new query id of a shard picked at random, as the service makes them. */
  public static String newQueryId() {
    return RedisKeys.queryId(KEYS.shard(java.util.concurrent.ThreadLocalRandom.current().nextInt(KEYS.shardCount())));
  }
}
