package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yzt.Main;
import org.yzt.config.RedisConfig;

/** How {@code redis.*} (SPEC §11) becomes client options: the one place the service and the CLI share. */
class RedisSetupTest {
  private static JsonObject defaults() throws Exception {
    return new JsonObject(Files.readString(Path.of("conf/config.json")));
  }

  private static JsonObject with(JsonObject redis) throws Exception {
    JsonObject c = defaults();
    c.getJsonObject("redis").mergeIn(redis);
    return c;
  }

  @Test
  void defaultsAreOneStandaloneRedisWithoutWait() throws Exception {
    RedisConfig r = RedisConfig.from(defaults());
    assertEquals(RedisConfig.Type.STANDALONE, r.type());
    assertEquals(0, r.waitReplicas());
    assertEquals(200, r.waitTimeoutMs());
    RedisOptions o = RedisSetup.options(defaults());
    assertEquals(RedisClientType.STANDALONE, o.getType());
    assertEquals(List.of("redis://127.0.0.1:6379/0"), o.getEndpoints());
    assertNull(o.getNetClientOptions().getTrustOptions());
    assertEquals(32, o.getMaxPoolSize());
  }

  @Test
  void sentinelAsksTheSentinelsForThePrimaryAndFollowsAFailover() throws Exception {
    List<String> sentinels = List.of("redis://10.0.0.1:26379", "redis://10.0.0.2:26379", "redis://10.0.0.3:26379");
    RedisOptions o = RedisSetup.options(with(new JsonObject().put("type", "sentinel")
        .put("endpoints", new JsonArray(sentinels)).put("masterName", "yzt")));
    assertEquals(RedisClientType.SENTINEL, o.getType());
    assertEquals(sentinels, o.getEndpoints());
    assertEquals("yzt", o.getMasterName());
    assertEquals(RedisRole.MASTER, o.getRole());
    assertTrue(o.isAutoFailover());
  }

  @Test
  void aCaFileIsTrustedAndTheHostNameChecked() throws Exception {
    RedisOptions o = RedisSetup.options(with(new JsonObject().put("connectionString", "rediss://yzt:pw@redis.internal:6380/0")
        .put("tls", new JsonObject().put("caFile", "/etc/yzt/redis-ca.pem"))));
    assertEquals(List.of("/etc/yzt/redis-ca.pem"), ((PemTrustOptions) o.getNetClientOptions().getTrustOptions()).getCertPaths());
    assertEquals("HTTPS", o.getNetClientOptions().getHostnameVerificationAlgorithm());
    assertFalse(o.isAutoFailover());
  }

  @Test
  void aWrongTypeOrASentinelSetUpWithoutSentinelsIsRefused() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("type", "cluster"))));
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("type", "Sentinel")
        .put("endpoints", new JsonArray().add("redis://10.0.0.1:26379")))));
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("type", "sentinel"))));
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("type", "sentinel")
        .put("endpoints", new JsonArray().add("redis://10.0.0.1:26379")).put("masterName", " "))));
  }

  @Test
  void theServiceRefusesToStartOnAWrongRedisType() {
    Main.StartupRefused refused = assertThrows(Main.StartupRefused.class,
        () -> Main.start(null, false, Map.of("YZT_REDIS_TYPE", "cluster")));
    assertTrue(refused.getMessage().contains("redis.type"), refused.getMessage());
  }

  @Test
  void waitSettingsAreReadAndBounded() throws Exception {
    RedisConfig r = RedisConfig.from(with(new JsonObject().put("waitReplicas", 2).put("waitTimeoutMs", 50)));
    assertEquals(2, r.waitReplicas());
    assertEquals(50, r.waitTimeoutMs());
    // refused, not raised to 0: one parsing style for every key (ConfigValues)
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("waitReplicas", -1))));
    assertEquals(1000, RedisConfig.from(with(new JsonObject().put("waitTimeoutMs", 1000))).waitTimeoutMs());
    assertEquals(1, RedisConfig.from(with(new JsonObject().put("waitTimeoutMs", 1))).waitTimeoutMs());
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("waitTimeoutMs", 1001))));
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("waitTimeoutMs", 0))));
  }

  @Test
  void onlyASentinelClientChecksTheRoleOfItsNode() throws Exception {
    assertEquals(1000, RedisConfig.from(defaults()).roleCheckMs());
    assertEquals(250, RedisConfig.from(with(new JsonObject().put("roleCheckMs", 250))).roleCheckMs());
    // refused, not raised to 0: one parsing style for every key (ConfigValues)
    assertThrows(IllegalArgumentException.class, () -> RedisConfig.from(with(new JsonObject().put("roleCheckMs", -5))));
    Vertx vertx = Vertx.vertx();
    try {
      // roleCheckMs 0: no check is sent to the made-up sentinels of this test
      Redis sentinel = RedisSetup.client(vertx, with(new JsonObject().put("type", "sentinel").put("roleCheckMs", 0)
          .put("endpoints", new JsonArray().add("redis://10.0.0.1:26379"))), new SimpleMeterRegistry());
      assertTrue(sentinel instanceof RoleCheckedRedis);
      sentinel.close();
      Redis standalone = RedisSetup.client(vertx, defaults(), new SimpleMeterRegistry());
      assertFalse(standalone instanceof RoleCheckedRedis);
      standalone.close();
    } finally {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    // the sentinel that named a replica is asked last
    assertEquals(List.of("b", "c", "a"), RoleCheckedRedis.rotate(List.of("a", "b", "c")));
    assertEquals(List.of("a"), RoleCheckedRedis.rotate(List.of("a")));
  }
}
