package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisProcess;

/**
 * On a real Redis Cluster (three masters, no replicas) a preloaded script is in every master's cache, also when
 * loaded through a client that sends by the cluster client (MultiplexedRedis): otherwise every master but one
 * would answer its first call NOSCRIPT and compile it on a request's path.
 */
class RedisScriptClusterTest {
  static RedisClusterSet cluster;
  static Vertx vertx;
  static Redis client;
  static Redis wrapper;

  @BeforeAll
  static void start() {
    cluster = RedisClusterSet.start(false);
    vertx = Vertx.vertx();
    JsonObject config = cluster.serviceConfig(new JsonObject());
    client = RedisSetup.client(vertx, config, null);
    RedisScript.onEveryMaster(client, new ClusterMasters(vertx, config, client));
    // any client that sends by the cluster's; a standalone one to the first master shows where its scripts go
    wrapper = Redis.createClient(vertx, cluster.seedUrls().get(0));
    RedisScript.sameMasters(wrapper, client);
  }

  @AfterAll
  static void stop() throws Exception {
    wrapper.close();
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    cluster.close();
  }

  private static String sha1(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  private static void assertOnEveryMaster(RedisScript script) throws Exception {
    String sha = sha1(script.source());
    for (RedisProcess master : cluster.masters()) {
      assertEquals("1", master.cli("SCRIPT", "EXISTS", sha).trim(), "master on port " + master.port());
    }
  }

  @Test
  void aPreloadedScriptIsOnEveryMaster() throws Exception {
    RedisScript script = RedisScript.load(client, 5000, Map.of("QUERY_MS", 91L, "LIMIT", 92L), "test_constants");
    script.preload().await(10, TimeUnit.SECONDS);
    assertOnEveryMaster(script);
  }

  @Test
  void soIsOneLoadedThroughAClientThatSendsByTheClusters() throws Exception {
    RedisScript script = RedisScript.load(wrapper, 5000, Map.of("QUERY_MS", 93L, "LIMIT", 94L), "test_constants");
    script.warm().await(10, TimeUnit.SECONDS);
    assertOnEveryMaster(script);
  }
}
