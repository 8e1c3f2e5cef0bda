package org.yzt.pipeline;

import org.yzt.config.SecurityConfig;
import org.yzt.store.JobFields;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.privacy.Ids;
import org.yzt.privacy.PersonalData;
import org.yzt.testing.Api;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * The upgrade path of the README (SPEC §11: a stream of the layout before sharding is drained, not
 * refused): a Redis written by the previous version holds a pending job on {@code yzt:jobs} (read by
 * a worker that is gone) and a parked one in {@code yzt:jobs:delayed}, under 22-character query ids and
 * {@code yzt:job:<id>} records. The upgraded service finishes both, answers their status, and deletes
 * the old stream once it is drained.
 */
class LayoutUpgradeTest {
  private static RedisServer redis;
  private static TestService service;
  private static String pending;
  private static String parked;

  @BeforeAll
  static void start() {
    redis = RedisServer.startNew();
    JsonObject config = TestService.config(redis, new JsonObject()
        .put("pipeline", new JsonObject().put("claimIdleMs", 500).put("wakeIntervalMs", 100)));
    SecurityConfig security = SecurityConfig.from(config);
    PersonalData pd = new PersonalData(security.dataKey(), security.previousDataKeys());
    long now = System.currentTimeMillis();
    pending = oldJob(pd, "13800138001", now);
    parked = oldJob(pd, "13800138002", now);
    // as the previous version left them: the group, an entry read by a worker now gone, a parked job
    redis.cli("XGROUP", "CREATE", "yzt:jobs", "pipeline", "0", "MKSTREAM");
    redis.cli("XADD", "yzt:jobs", "*", "q", pending);
    redis.cli("XREADGROUP", "GROUP", "pipeline", "old-node-1", "COUNT", "1", "STREAMS", "yzt:jobs", ">");
    redis.cli("ZADD", "yzt:jobs:delayed", Long.toString(now), parked);
    service = TestService.start(config);
  }

  private static String oldJob(PersonalData pd, String phone, long now) {
    String q = Ids.random128();
    redis.cli("HSET", "yzt:job:" + q, "st", "ACCEPTED", "ca", Long.toString(now), "dl", Long.toString(now + 60_000),
        "pd", pd.encrypt(q, org.yzt.store.JobFields.PERSONAL, new JsonObject().put("phone", phone).put("idLast6", "123456")), "rid", "req-" + q);
    return q;
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
  void jobsOfTheLayoutBeforeShardingFinishAndItsStreamIsDeletedOnceDrained() throws Exception {
    Api api = new Api(service);
    for (String q : new String[] {pending, parked}) {
      org.yzt.testing.Wait.waitUntil(20_000, () -> "DONE".equals(api.queryStatus(q)));
      assertEquals("DONE", api.queryStatus(q), q);
    }
    assertEquals(1, api.inbox("13800138001").size());
    assertEquals(1, api.inbox("13800138002").size());
    org.yzt.testing.Wait.waitUntil(10_000, () -> "0".equals(redis.cli("EXISTS", "yzt:jobs").trim()));
    assertEquals("0", redis.cli("EXISTS", "yzt:jobs").trim(), "the drained stream is gone");
    assertTrue(redis.cli("GET", "yzt:jobs:shards").startsWith("16"), "the shard count is recorded");
  }
}
