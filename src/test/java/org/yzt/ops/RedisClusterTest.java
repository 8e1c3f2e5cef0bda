package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.Main;
import org.yzt.store.HashSlots;
import org.yzt.testing.Api;
import org.yzt.testing.Layout;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisMonitor;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisSetExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §11 "Redis Cluster": the service on a real three-master cluster ({@code redis.type: cluster}).
 * A person's whole flow over HTTP for numbers whose shards sit on every master, the number's 24 h
 * window, idempotent repeats, and a node configured with another shard count refused at start.
 */
class RedisClusterTest {
  @RegisterExtension
  static final RedisSetExtension<RedisClusterSet> app = RedisSetExtension.cluster();

  @Test
  void aPersonsWholeFlowWorksForNumbersOnEveryMasterWithItsWindowAndIdempotency() throws Exception {
    Api api = app.api();
    assertEquals(200, api.get("/ready").statusCode());
    Map<String, String> queries = new HashMap<>(); // phone → query id
    Set<Integer> masters = new HashSet<>();
    for (int i = 0; i < 24 && (masters.size() < 3 || queries.size() < 6); i++) {
      String phone = Numbers.fresh();
      String code = api.as("198.51.100." + (i + 1)).codeFor(phone);
      MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "cluster-" + phone);
      HttpResponse<Buffer> r = api.postJson("/api/v1/queries", Api.query(phone, "12345X", code), key);
      assertEquals(202, r.statusCode(), r.bodyAsString());
      String queryId = r.bodyAsJsonObject().getString("queryId");
      queries.put(phone, queryId);
      masters.add(app.redis().masterOf(HashSlots.slot(Layout.shardOf(queryId).tag())).port());
      // the same request again: the first answer, not QUERY_LIMIT
      HttpResponse<Buffer> again = api.postJson("/api/v1/queries", Api.query(phone, "12345X", code), key);
      assertEquals(202, again.statusCode(), again.bodyAsString());
      assertEquals(queryId, again.bodyAsJsonObject().getString("queryId"));
    }
    assertEquals(3, masters.size(), "queries on every master");
    for (Map.Entry<String, String> q : queries.entrySet()) {
      awaitDone(api, q.getValue());
      JsonArray texts = api.inbox(q.getKey());
      long results = texts.stream().filter(t -> !((JsonObject) t).getString("text").contains("验证码")).count();
      assertEquals(1, results, "one result text for " + q.getValue());
      // the number's window: no new code for 24 h
      HttpResponse<Buffer> code = api.as("203.0.113.9").requestCode(q.getKey());
      assertEquals(429, code.statusCode(), code.bodyAsString());
      assertEquals("QUERY_LIMIT", Api.errorCode(code));
    }
    // every script was loaded on every master at start: none ran one by EVAL, NOSCRIPT's fallback
    for (RedisProcess master : app.redis().masters()) {
      String stats = master.cli("INFO", "commandstats");
      assertTrue(stats.contains("cmdstat_evalsha:"), "scripts ran on master " + master.port());
      assertTrue(!stats.contains("cmdstat_eval:"), "a script taken by EVAL on master " + master.port() + ": " + stats);
    }
  }

  /**
   * With redis.waitReplicas 1, the number's step and its WAIT go to the master of the number's shard on
   * one connection (WAIT counts that connection's writes; the cluster client would send it anywhere).
   */
  @Test
  void theSubmissionAndItsWaitShareOneConnectionToTheShardsMaster() {
    Api api = app.api().as("198.51.100.200");
    String phone = Numbers.fresh();
    String code = api.codeFor(phone);
    // every master watched: the query's shard is known only from its answer
    List<RedisProcess> masters = app.redis().masters();
    List<RedisMonitor> monitors = new ArrayList<>();
    for (RedisProcess m : masters) {
      monitors.add(RedisMonitor.start(m.port()));
    }
    HttpResponse<Buffer> r = api.submit(phone, "12345X", code);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    int master = app.redis().masterOf(HashSlots.slot(Layout.shardOf(r.bodyAsJsonObject().getString("queryId")).tag())).port();
    for (int i = 0; i < masters.size(); i++) {
      List<RedisMonitor.Command> seen = monitors.get(i).commands();
      monitors.get(i).close();
      List<String> waits = seen.stream().filter(c -> c.name().equals("WAIT")).map(c -> client(c.line())).toList();
      if (masters.get(i).port() != master) {
        assertEquals(List.of(), waits, "no WAIT on a master the query was not written to");
        continue;
      }
      List<String> writers = seen.stream().filter(c -> c.name().equals("EVALSHA") || c.name().equals("EVAL"))
          // the number's step: the only script naming both a code key and the job stream
          .filter(c -> c.line().contains("\"yzt:code:")
              && c.line().contains("\"" + Layout.shardOf(r.bodyAsJsonObject().getString("queryId")).stream() + "\""))
          .map(c -> client(c.line())).distinct().toList();
      // (an EVALSHA answered NOSCRIPT on a master that had not run the script yet is followed by an EVAL)
      assertEquals(1, writers.size(), "the number's step ran on one connection to its master");
      assertEquals(writers, waits, "WAIT on the connection that ran the number's step");
    }
  }

  /** The client address of a MONITOR line: {@code +… [0 127.0.0.1:53122] "CMD" …}. */
  private static String client(String monitorLine) {
    return monitorLine.substring(monitorLine.indexOf('[') + 1, monitorLine.indexOf(']')).split(" ")[1];
  }

  @Test
  void aNodeWithAnotherShardCountIsRefusedWhileJobsAreHeld() {
    // a job parked in a shard keeps the count in force
    String shardKey = Layout.KEYS.shard(3).delayed();
    app.redis().masterOf(HashSlots.slot(shardKey)).cli("ZADD", shardKey, "9999999999999", "someQuery");
    try {
      Main.StartupRefused refused = assertThrows(Main.StartupRefused.class,
          () -> TestService.start(app.redis().serviceConfig(new JsonObject().put("pipeline", new JsonObject().put("streamShards", 8)))));
      assertTrue(refused.getMessage().contains("pipeline.streamShards 16"), refused.getMessage());
      assertEquals(1, refused.getMessage().lines().count(), refused.getMessage());
    } finally {
      app.redis().masterOf(HashSlots.slot(shardKey)).cli("DEL", shardKey);
    }
  }

  static void awaitDone(Api api, String queryId) throws InterruptedException {
    String[] status = {""};
    org.yzt.testing.Wait.waitUntil(30_000, () -> {
      HttpResponse<Buffer> r = api.get("/api/v1/queries/" + queryId);
      assertEquals(200, r.statusCode(), r.bodyAsString());
      status[0] = r.bodyAsJsonObject().getString("status");
      return status[0].equals("DONE");
    });
    assertEquals("DONE", status[0], "query " + queryId);
  }
}
