package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.store.JobFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.privacy.PersonalData;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.testing.Layout;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * SPEC §11: every pipeline worker reads all the shards' job streams fairly. A backlog of jobs on one
 * shard does not hold up a job on another: with room for four jobs at a time, a job written to shard 5
 * after 300 on shard 0 is done while most of shard 0's are still waiting.
 */
class ShardFairnessTest {
  private static RedisServer redis;
  private static TestService service;

  @BeforeAll
  static void start() {
    redis = RedisServer.startNew();
    service = TestService.start(redis, new JsonObject()
        .put("verticles", new JsonObject().put("pipeline", new JsonObject().put("instances", 1)))
        .put("pipeline", new JsonObject().put("maxInFlight", 4).put("batchSize", 4))
        .put("simulators", new JsonObject().put("latencyMs", 20)));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aBusyShardDoesNotStarveAnother() {
    Redis r = service.context().redis;
    PersonalData pd = service.context().personalData;
    Shard busy = Layout.KEYS.shard(0);
    List<String> backlog = new ArrayList<>();
    List<Future<String>> written = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      written.add(onShard(r, pd, busy, "1380013" + String.format("%04d", i)));
    }
    for (Future<String> f : written) {
      backlog.add(PipelineFixtures.await(f));
    }
    String other = PipelineFixtures.await(onShard(r, pd, Layout.KEYS.shard(5), "13800139999"));
    assertTrue(org.yzt.testing.Wait.waitUntil(20_000, () -> "DONE".equals(PipelineFixtures.status(r, other))),
        "the other shard's job is done");
    long doneOnBusy = backlog.stream().filter(q -> "DONE".equals(PipelineFixtures.status(r, q))).count();
    assertTrue(doneOnBusy < backlog.size() / 2, doneOnBusy + " of the busy shard's " + backlog.size() + " done first");
    assertEquals(5, Layout.shardOf(other).index());
  }

  /** An accepted job on {@code shard}, written as the front door writes one (record, then stream entry, one script). */
  private static Future<String> onShard(Redis r, PersonalData pd, Shard shard, String phone) {
    String q = RedisKeys.queryId(shard);
    long now = System.currentTimeMillis();
    String sealed = pd.encrypt(q, JobFields.PERSONAL, new JsonObject().put("phone", phone).put("idLast6", "123456"));
    return r.send(Request.cmd(Command.EVAL).arg(String.join("\n",
            "redis.call('HSET', KEYS[1], 'st', 'ACCEPTED', 'ca', ARGV[1], 'dl', ARGV[2], 'pd', ARGV[3], 'rid', ARGV[4])",
            "redis.call('XADD', KEYS[2], '*', 'q', ARGV[4])",
            "return 1"))
        .arg(2).arg(shard.job(q)).arg(shard.stream()).arg(now).arg(now + 60_000).arg(sealed).arg(q)).map(q);
  }
}
