package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestCa;
import org.yzt.testing.TestService;

/**
 * {@code bench/cluster.sh}: the time a person waits, code request to result, on the two-node TLS
 * cluster of {@link ClusterTest} (default delivery settings), in rounds without and with the intruder
 * of {@link RogueNodeMain} knocking (started as its round starts, killed after it: its join requests
 * every 2 s, then, turned away, the merge probes of a cluster of its own). Prints one {@code BENCH}
 * line per round: queries, median, 90th percentile and worst milliseconds from asking for the code to
 * status DONE, and what the intruder said. Run only with {@code -Dbench.clusterQueries=N}.
 */
@EnabledIfSystemProperty(named = "bench.clusterQueries", matches = "\\d+")
class ClusterBenchmark {
  @Test
  void queriesWithAndWithoutAnIntruder() throws Exception {
    int queries = Integer.getInteger("bench.clusterQueries");
    int rounds = Integer.getInteger("bench.clusterRounds", 2);
    TestCa ca = TestCa.create(Files.createTempDirectory("yzt-cluster-ca")).issue("node");
    TestCa other = TestCa.create(Files.createTempDirectory("yzt-other-ca")).issue("intruder");
    JsonObject tls = files(ca, "node", ca.caCert());
    JsonObject foreignTls = files(other, "intruder", ca.caCert());
    try (RedisServer redis = RedisServer.startNew()) {
      // one client asks for every code: the per-IP limits lifted, so that they do not pace the rounds
      JsonObject lifted = new JsonObject().put("max", 1_000_000).put("windowSeconds", 60);
      JsonObject base = TestService.config(redis, new JsonObject().put("limits", new JsonObject()
          .put("perIp", new JsonObject().put("smsCodes", lifted).put("queries", lifted))));
      int port = RedisServer.freePortPair();
      JsonArray members = new JsonArray().add("127.0.0.1:" + port).add("127.0.0.2:" + port);
      JsonObject configA = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("gateway").add("captcha").add("ratelimit").add("smscode").add("query")))
          .put("cluster", ClusterTest.cluster("127.0.0.1", port, members, tls));
      JsonObject configB = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("carrier").add("enterprise").add("sms").add("simulators")))
          .put("cluster", ClusterTest.cluster("127.0.0.2", port, members, tls));
      configB.getJsonObject("http").put("port", RedisServer.freePort());
      Vertx vertx = Vertx.vertx();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(configA.getJsonObject("http").getInteger("port")));
      CompletableFuture<NodeProcess> startingB = CompletableFuture.supplyAsync(() -> NodeProcess.service("B", configB, true));
      try (NodeProcess a = NodeProcess.service("A", configA, true); NodeProcess b = startingB.get(120, TimeUnit.SECONDS)) {
        Api api = new Api(client);
        assertTrue(ClusterTest.waitUntil(30_000, () -> ClusterTest.members(api) == 2), "two members");
        round(api, 3, "warm-up", null); // JIT, connections, the first key exchange
        for (int r = 0; r < rounds; r++) {
          round(api, queries, "without", null);
          try (NodeProcess rogue = NodeProcess.start("rogue", RogueNodeMain.class.getName(),
              List.of(members.encode(), Integer.toString(port + 1), foreignTls.encode()), "ROGUE READY")) {
            round(api, queries, "with", rogue);
          }
        }
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  private static void round(Api api, int queries, String label, NodeProcess rogue) throws Exception {
    List<Long> ms = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < queries; i++) {
      String phone = Numbers.fresh();
      long t0 = System.nanoTime();
      HttpResponse<Buffer> accepted = api.submit(phone, "12345X", api.codeFor(phone));
      assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
      String id = accepted.bodyAsJsonObject().getString("queryId");
      assertTrue(ClusterTest.waitUntil(120_000, () -> "DONE".equals(ClusterTest.status(api, id))), "DONE");
      ms.add((System.nanoTime() - t0) / 1_000_000);
      assertEquals(2, ClusterTest.members(api), "only the certified nodes are members");
    }
    long total = (System.nanoTime() - start) / 1_000_000;
    Collections.sort(ms);
    System.out.printf("BENCH intruder=%s queries=%d total_ms=%d median_ms=%d p90_ms=%d max_ms=%d%s%n", label, queries, total,
        ms.get(ms.size() / 2), ms.get(ms.size() * 9 / 10), ms.get(ms.size() - 1),
        rogue == null ? "" : " intruder_said=" + rogue.lines().stream().filter(l -> l.startsWith("ROGUE ") && !l.contains(" call "))
            .map(l -> l.substring(6)).distinct().toList());
  }

  private static JsonObject files(TestCa ca, String name, Path caFile) {
    return new JsonObject().put("certFile", ca.cert(name).toString()).put("keyFile", ca.key(name).toString())
        .put("caFile", caFile.toString());
  }
}
