package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.common.HashSlots;
import org.yzt.testing.Api;
import org.yzt.testing.Layout;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.TestService;

/**
 * SPEC §11: a master of the Redis Cluster is killed (kill -9) while queries come in. With
 * {@code redis.waitReplicas} 1 its replica, once promoted, has every query the client was told was
 * accepted; the service goes on without a restart, every accepted query ends DONE with exactly one
 * result text, and the client's retries (same Idempotency-Key) of the refused ones are accepted.
 */
class RedisClusterFailoverTest {
  private static final int QUERIES = 18;
  private static RedisClusterSet cluster;
  private static TestService service;

  @BeforeAll
  static void start() {
    cluster = RedisClusterSet.start();
    service = TestService.start(RedisClusterTest.clusterConfig(cluster, new JsonObject()));
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void aMasterKilledMidTrafficLosesNoAcceptedQueryAndNeedsNoRestart() throws Exception {
    Api api = new Api(service);
    List<String> phones = new ArrayList<>();
    Map<String, String> codes = new HashMap<>();
    for (int i = 0; i < QUERIES; i++) {
      String phone = Numbers.fresh();
      phones.add(phone);
      codes.put(phone, api.as("198.51.100." + (i + 1)).codeFor(phone));
    }
    cluster.awaitReplicasInSync(); // the codes are on the replicas
    Map<String, String> accepted = new ConcurrentHashMap<>(); // phone → queryId
    List<String> unexpected = new ArrayList<>();
    Thread client = new Thread(() -> {
      long until = System.currentTimeMillis() + 60_000;
      for (String phone : phones) {
        while (System.currentTimeMillis() < until) {
          HttpResponse<Buffer> r = api.postJson("/api/v1/queries", Api.query(phone, "12345X", codes.get(phone)),
              MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "failover-" + phone));
          if (r.statusCode() == 202) {
            accepted.put(phone, r.bodyAsJsonObject().getString("queryId"));
            break;
          }
          if (r.statusCode() != 503) {
            synchronized (unexpected) {
              unexpected.add(r.statusCode() + " " + r.bodyAsString());
            }
            break;
          }
          sleep(200);
        }
        sleep(100);
      }
    });
    client.start();
    while (accepted.size() < QUERIES / 3 && client.isAlive()) {
      Thread.sleep(10);
    }
    // the master to kill: the one an accepted query's shard lives on, so traffic meets it
    String someQuery = accepted.values().iterator().next();
    RedisProcess victim = cluster.masterOf(HashSlots.slot(Layout.shardOf(someQuery).tag()));
    long killedAt = System.currentTimeMillis();
    victim.kill();
    cluster.awaitOk();
    System.out.println("cluster failover: cluster_state:ok again " + (System.currentTimeMillis() - killedAt)
        + " ms after a master was killed");
    client.join(70_000);
    assertEquals(List.of(), unexpected);
    assertEquals(QUERIES, accepted.size(), "every number accepted, before or after the failover");
    for (Map.Entry<String, String> e : accepted.entrySet()) {
      RedisClusterTest.awaitDone(api, e.getValue());
      JsonArray texts = api.inbox(e.getKey());
      long results = texts.stream().filter(t -> !((JsonObject) t).getString("text").contains("验证码")).count();
      assertEquals(1, results, "one result text for " + e.getValue());
    }
    assertTrue(cluster.masters().stream().noneMatch(m -> m.port() == victim.port()), "the killed master is gone");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
