package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.store.HashSlots;
import org.yzt.testing.Api;
import org.yzt.testing.FailoverClient;
import org.yzt.testing.Layout;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisSetExtension;

/**
 * SPEC §11: a master of the Redis Cluster is killed (kill -9) while queries come in. With
 * {@code redis.waitReplicas} 1 its replica, once promoted, has every query the client was told was
 * accepted; the service goes on without a restart, every accepted query ends DONE with exactly one
 * result text, and the client's retries (same Idempotency-Key) of the refused ones are accepted.
 */
class RedisClusterFailoverTest {
  private static final int QUERIES = 18;
  @RegisterExtension
  static final RedisSetExtension<RedisClusterSet> app = RedisSetExtension.cluster();

  @Test
  void aMasterKilledMidTrafficLosesNoAcceptedQueryAndNeedsNoRestart() throws Exception {
    Api api = app.api();
    RedisClusterSet cluster = app.redis();
    List<String> phones = new ArrayList<>();
    Map<String, String> codes = new HashMap<>();
    for (int i = 0; i < QUERIES; i++) {
      String phone = Numbers.fresh();
      phones.add(phone);
      codes.put(phone, api.as("198.51.100." + (i + 1)).codeFor(phone));
    }
    cluster.awaitReplicasInSync(); // the codes are on the replicas
    FailoverClient client = FailoverClient.start(api, phones, codes, 60_000, 100);
    client.awaitAccepted(QUERIES / 3);
    Map<String, String> accepted = client.accepted; // phone → queryId
    // the master to kill: the one an accepted query's shard lives on, so traffic meets it
    String someQuery = accepted.values().iterator().next();
    RedisProcess victim = cluster.masterOf(HashSlots.slot(Layout.shardOf(someQuery).tag()));
    long killedAt = System.currentTimeMillis();
    victim.kill();
    cluster.awaitOk();
    System.out.println("cluster failover: cluster_state:ok again " + (System.currentTimeMillis() - killedAt)
        + " ms after a master was killed");
    client.join(70_000);
    assertEquals(List.of(), client.unexpected);
    assertEquals(QUERIES, accepted.size(), "every number accepted, before or after the failover");
    for (Map.Entry<String, String> e : accepted.entrySet()) {
      RedisClusterTest.awaitDone(api, e.getValue());
      JsonArray texts = api.inbox(e.getKey());
      long results = texts.stream().filter(t -> !((JsonObject) t).getString("text").contains("验证码")).count();
      assertEquals(1, results, "one result text for " + e.getValue());
    }
    assertTrue(cluster.masters().stream().noneMatch(m -> m.port() == victim.port()), "the killed master is gone");
  }
}
