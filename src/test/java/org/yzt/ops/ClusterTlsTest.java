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
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestCa;
import org.yzt.testing.TestService;

/**
 * SPEC §11 cluster security, with real processes and certificates made by openssl: nodes A (front
 * door and pipeline) and B (connectors, SMS, simulators) hold certificates from the cluster CA
 * ({@code cluster.tls}); an intruder JVM joins the same Hazelcast cluster twice, once with a
 * plaintext event bus and once with a certificate from another CA, registers {@code yzt.sms.send}
 * and keeps calling {@code yzt.carrier.verify} and {@code yzt.enterprise.count.tencent}. Queries
 * submitted to A complete; the intruder is handed no message and no call of it reaches a handler.
 */
class ClusterTlsTest {
  static final int QUERIES = 2;

  @Test
  void onlyNodesWithACertificateFromTheClusterCaSendOrReceive() throws Exception {
    Path dir = TestCa.tempDir();
    TestCa ca = TestCa.create(dir, "yzt");
    JsonObject tls = ca.clusterTls("node");
    JsonObject foreignTls = TestCa.create(dir, "other").clusterTls("intruder").put("caFile", ca.caCert().toString());
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject base = TestService.config(redis, new JsonObject()
          .put("pipeline", new JsonObject().put("retryInitialMs", 200).put("retryMaxMs", 1000).put("blockMs", 300)
              // a text routed to an intruder waits for its timeout before the retry goes elsewhere: keep it short
              .put("smsDeliverWithinMs", 1500))
          .put("sms", new JsonObject().put("codeDeliverySeconds", 1))
          // a code text lost to an intruder is doubtful (SPEC §10: its cooldown and daily place are
          // kept), so the retry waits a short cooldown and the day allows the extra tries
          .put("smsCode", new JsonObject().put("resendSeconds", 1).put("maxPerDay", 20)));
      int hzA = RedisServer.freePort();
      int hzB = RedisServer.freePort();
      JsonArray members = new JsonArray().add("127.0.0.1:" + hzA).add("127.0.0.1:" + hzB);
      JsonObject configA = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("gateway").add("captcha").add("ratelimit").add("smscode").add("query")))
          .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", hzA).put("members", members).put("tls", tls));
      JsonObject configB = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("carrier").add("enterprise").add("sms").add("simulators")))
          .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", hzB).put("members", members).put("tls", tls));
      configB.getJsonObject("http").put("port", RedisServer.freePort());

      Vertx vertx = Vertx.vertx();
      WebClient clientA = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(configA.getJsonObject("http").getInteger("port")));
      List<NodeProcess> nodes = new java.util.concurrent.CopyOnWriteArrayList<>();
      try {
        CompletableFuture<NodeProcess> startingB = CompletableFuture.supplyAsync(() -> NodeProcess.service("B", configB, true));
        startingB.thenAccept(nodes::add);
        nodes.add(NodeProcess.service("A", configA, true));
        startingB.get(120, TimeUnit.SECONDS);
        // after A and B: alone, the intruder would found a cluster of its own (Hazelcast merges only minutes later)
        NodeProcess rogue = NodeProcess.start("rogue", RogueNodeMain.class.getName(), List.of(members.encode(),
            Integer.toString(RedisServer.freePort()), Integer.toString(RedisServer.freePort()), foreignTls.encode()),
            "ROGUE READY");
        nodes.add(rogue);
        Api api = new Api(clientA);
        assertTrue(org.yzt.testing.Wait.waitUntil(30_000, () -> TwoNodeClusterTest.members(api) == 4),
            "the intruders are Hazelcast members (OSS Hazelcast has no authentication)");

        List<String> queryIds = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) {
          String phone = i == 0 ? "13800138000" : Numbers.fresh();
          HttpResponse<Buffer> accepted = api.submit(phone, "12345X", codeFor(api, phone));
          assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
          queryIds.add(accepted.bodyAsJsonObject().getString("queryId"));
        }
        assertTrue(org.yzt.testing.Wait.waitUntil(60_000,
            () -> queryIds.stream().allMatch(q -> "DONE".equals(TwoNodeClusterTest.status(api, q)))),
            "every query completed between the certified nodes");
        String texts = api.inbox("13800138000").encode();
        assertTrue(texts.contains("关联的互联网账号"), "the demo number got its result text: " + texts);

        List<String> seen = rogue.lines().stream().filter(l -> l.startsWith("ROGUE ")).collect(Collectors.toList());
        String all = String.join("\n", seen);
        assertTrue(seen.stream().noneMatch(l -> l.contains(" received ")), "an intruder was handed a message:\n" + all);
        assertTrue(seen.stream().noneMatch(l -> l.contains(" ok ") || l.contains("RECIPIENT_FAILURE")),
            "an intruder's call reached a handler:\n" + all);
        for (String name : List.of("plain", "foreign")) {
          for (String address : List.of("yzt.carrier.verify", "yzt.enterprise.count.tencent")) {
            assertTrue(seen.stream().filter(l -> l.startsWith("ROGUE " + name + " call " + address + " failed")).count() >= 2,
                name + " intruder kept trying " + address + ":\n" + all);
          }
        }
      } catch (AssertionError e) {
        for (NodeProcess n : nodes) { // what the nodes said, for whoever reads the failure
          List<String> lines = n.lines();
          System.out.println(String.join("\n", lines.subList(Math.max(0, lines.size() - 150), lines.size())));
        }
        throw e;
      } finally {
        for (NodeProcess n : nodes) {
          n.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Asks for a code until one is texted: a code text routed to an intruder's consumer fails (its TLS
   * handshake does) with 503; after the cooldown the next request may go to the real SMS node.
   */
  private static String codeFor(Api api, String phone) throws InterruptedException {
    for (int attempt = 0; attempt < 10; attempt++) {
      HttpResponse<Buffer> r = api.requestCode(phone);
      if (r.statusCode() == 202) {
        return api.latestCode(phone);
      }
      assertEquals(503, r.statusCode(), r.bodyAsString());
      Thread.sleep(1_100);
    }
    throw new AssertionError("no code texted in 10 tries");
  }
}
