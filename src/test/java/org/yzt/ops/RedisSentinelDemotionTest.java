package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.store.RedisSetup;
import org.yzt.testing.RedisSentinelSet;
import org.yzt.testing.Wait;

/**
 * Issue 27 item 12: after a Sentinel failover in which the old primary stays up and becomes a
 * replica (so a write sent to it is answered READONLY, not refused by a dead socket), a client
 * configured by store/RedisSetup writes to the promoted node again without a restart.
 * vertx-redis-client 5.0.10 asks the sentinels for the primary again for every pooled connection
 * once its topology cache (1 s) is stale, and keeps one pool per node, so no connection to the
 * demoted node is borrowed any more. This pins that behaviour of the library alone (a plain client,
 * without the service's ROLE check): when every sentinel saw the failover, following it needs no
 * check. When a sentinel missed it and names the demoted node, only the ROLE check of
 * store/RoleCheckedRedis moves the client: RedisSentinelRoleCheckTest.
 */
class RedisSentinelDemotionTest {
  private static RedisSentinelSet redis;
  private static Vertx vertx;
  private static Redis client;

  @BeforeAll
  static void start() {
    redis = RedisSentinelSet.start();
    JsonObject config = redis.serviceConfig(new JsonObject());
    vertx = Vertx.vertx();
    client = Redis.createClient(vertx, RedisSetup.options(config));
  }

  @AfterAll
  static void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static boolean writes(String key) {
    try {
      // a READONLY reply fails the future with a Throwable that is no Exception (VERTX5-NOTES)
      return client.send(Request.cmd(Command.SET).arg(key).arg("v")).map(r -> "OK".equals(r.toString()))
          .otherwise(false).await(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  /** The port of the node a command of the client reaches (its INFO). */
  private static int portOfClient() throws Exception {
    String info = client.send(Request.cmd(Command.INFO).arg("server")).await(2, TimeUnit.SECONDS).toString();
    return Integer.parseInt(info.lines().filter(l -> l.startsWith("tcp_port:")).findFirst().orElseThrow()
        .substring("tcp_port:".length()).trim());
  }

  @Test
  void writesFollowTheNewPrimaryWhenTheOldOneIsDemotedNotKilled() throws Exception {
    assertTrue(writes("before"), "a write before the failover");
    int oldPort = redis.primary().port();
    assertEquals(oldPort, portOfClient(), "the client writes to the first primary");
    // a forced failover: the replica is promoted and the old primary, still running, is made its replica
    assertEquals("OK", redis.sentinelCli("SENTINEL", "FAILOVER", RedisSentinelSet.MASTER_NAME));
    Wait.await(30_000, "the old primary demoted to a replica",
        () -> redis.primaryPortNow() == redis.replica().port() && redis.primary().cli("ROLE").startsWith("slave"));
    assertTrue(redis.primary().cli("SET", "direct", "v").startsWith("READONLY"), "the old primary refuses writes");
    // the client follows within a few seconds, and then stays on the new primary
    long demotedAt = System.currentTimeMillis();
    Wait.await(10_000, "a write accepted after the demotion", () -> writes("after"));
    System.out.println("demotion: first write accepted " + (System.currentTimeMillis() - demotedAt)
        + " ms after the old primary was seen as a replica");
    for (int i = 0; i < 20; i++) {
      assertTrue(writes("after-" + i), "write " + i + " after the failover");
    }
    assertEquals(redis.replica().port(), portOfClient(), "the client writes to the promoted node");
    assertEquals("v", redis.replica().cli("GET", "after-19"));
  }
}
