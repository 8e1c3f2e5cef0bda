package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestCa;
import org.yzt.testing.TestService;

/**
 * {@code -cluster} with real JVMs on loopback (SPEC §5, §11): node A runs the front door and the
 * pipeline ({@code gateway, captcha, ratelimit, smscode, query}), node B the connectors and the
 * simulators ({@code carrier, enterprise, sms, simulators}); one Redis; both hold certificates from
 * the cluster CA ({@code cluster.tls}, EC keys made by openssl). An intruder process knocks at their
 * membership ports, once without a certificate and once with one from another CA: join requests every
 * 2 s until JGroups gives up, then, as a cluster of its own, merge probes for as long as it runs.
 * With the default delivery settings, every query completes with one result text, the intruder never
 * enters the view, is handed no message and reaches no handler; node B stopped (SIGTERM) while the
 * enterprises are answering and started again, the query in flight still completes.
 */
class ClusterTest {
  /** A demo subscriber whose enterprises take 2.5 s: a job is surely in flight when B stops. */
  static final String SLOW_PHONE = "13600136000";
  static final String RESULT = "关联的互联网账号";

  @Test
  void certifiedNodesServeQueriesWhileIntrudersKnockAndSurviveARestart() throws Exception {
    Path dir = Files.createTempDirectory("yzt-cluster-ca");
    TestCa ca = TestCa.create(dir).issue("node");
    Path otherDir = Files.createTempDirectory("yzt-other-ca");
    TestCa other = TestCa.create(otherDir).issue("intruder");
    JsonObject tls = new JsonObject().put("certFile", ca.cert("node").toString())
        .put("keyFile", ca.key("node").toString()).put("caFile", ca.caCert().toString());
    JsonObject foreignTls = new JsonObject().put("certFile", other.cert("intruder").toString())
        .put("keyFile", other.key("intruder").toString()).put("caFile", ca.caCert().toString());
    try (RedisServer redis = RedisServer.startNew()) {
      // pipeline pacing only: the SMS and code delivery settings are the defaults
      JsonObject base = TestService.config(redis, new JsonObject()
          .put("pipeline", new JsonObject().put("retryInitialMs", 200).put("retryMaxMs", 1500)
              .put("blockMs", 300).put("metricsPollMs", 500)));
      // two "machines" on loopback, as in production: each node its own address, the same ports
      // (cluster.port, and cluster.port + 1 for the key exchange, which only the coordinator opens)
      int port = RedisServer.freePortPair();
      JsonArray members = new JsonArray().add("127.0.0.1:" + port).add("127.0.0.2:" + port);
      JsonObject configA = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("gateway").add("captcha").add("ratelimit").add("smscode").add("query")))
          .put("cluster", cluster("127.0.0.1", port, members, tls));
      int httpB = RedisServer.freePort();
      JsonObject configB = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("carrier").add("enterprise").add("sms").add("simulators")))
          .put("cluster", cluster("127.0.0.2", port, members, tls));
      configB.getJsonObject("http").put("port", httpB);

      Vertx vertx = Vertx.vertx();
      WebClient clientA = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(configA.getJsonObject("http").getInteger("port")));
      WebClient clientB = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpB));
      List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
      try {
        CompletableFuture<NodeProcess> startingB = CompletableFuture.supplyAsync(() -> NodeProcess.service("B", configB, true));
        nodes.add(NodeProcess.service("A", configA, true));
        NodeProcess b = startingB.get(120, TimeUnit.SECONDS);
        nodes.add(b);
        Api api = new Api(clientA);
        assertTrue(waitUntil(30_000, () -> members(api) == 2), "A sees two cluster members");

        NodeProcess rogue = NodeProcess.start("rogue", RogueNodeMain.class.getName(),
            List.of(members.encode(), Integer.toString(port + 1), foreignTls.encode()), "ROGUE READY");
        nodes.add(rogue);
        for (String name : List.of("plain", "foreign")) {
          assertTrue(rogue.awaitLine(l -> l.startsWith("ROGUE " + name + " "), 60_000), name + " intruder knocked");
        }

        // queries while the intruder keeps trying: each code request is answered at once (no text lost to it)
        List<String> phones = List.of("13800138000", Numbers.fresh(), Numbers.fresh());
        List<String> queryIds = new ArrayList<>();
        for (String phone : phones) {
          HttpResponse<Buffer> accepted = api.submit(phone, "12345X", api.codeFor(phone));
          assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
          queryIds.add(accepted.bodyAsJsonObject().getString("queryId"));
          assertEquals(2, members(api), "only the certified nodes are members");
        }
        assertTrue(waitUntil(60_000, () -> queryIds.stream().allMatch(q -> "DONE".equals(status(api, q)))),
            "every query completed: " + queryIds.stream().map(q -> status(api, q)).collect(Collectors.toList()));
        for (String phone : phones) {
          assertTrue(waitUntil(10_000, () -> resultTexts(api, phone) == 1), "one result text for each query: " + api.inbox(phone));
        }

        // B stops (SIGTERM) in the middle of the enterprises' answers and comes back
        String slowCode = api.codeFor(SLOW_PHONE);
        Api apiB = new Api(clientB);
        double receivedByB = remoteReceived(apiB);
        HttpResponse<Buffer> accepted = api.submit(SLOW_PHONE, "12345X", slowCode);
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        String queryId = accepted.bodyAsJsonObject().getString("queryId");
        assertTrue(waitUntil(15_000, () -> "QUERYING".equals(status(api, queryId))), "A's pipeline asks B's enterprises");
        // B holds the enterprises' requests (the carrier's message, then one per enterprise, each
        // answered 2.5 s later): the signal comes while they are thinking, not before they were asked
        int enterprises = org.yzt.config.EnterpriseConfig.all(configB).size();
        assertTrue(waitUntil(10_000, () -> remoteReceived(apiB) >= receivedByB + 1 + enterprises),
            "B received the enterprises' requests: " + receivedByB + " → " + remoteReceived(apiB));
        b.terminate();
        assertTrue(waitUntil(10_000, () -> members(api) == 1), "A saw B leave");
        assertEquals("QUERYING", status(api, queryId), "nothing can finish while B is away");
        // a stranger holds three silent connections to the coordinator's key exchange (A now, at
        // cluster.port + 1): B2 still gets the group key and joins
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          Socket socket = new Socket();
          socket.connect(new InetSocketAddress("127.0.0.1", port + 1), 5_000);
          silent.add(socket);
        }
        try {
          nodes.add(NodeProcess.service("B2", configB, true));
        } finally {
          for (Socket socket : silent) {
            socket.close();
          }
        }
        assertTrue(waitUntil(60_000, () -> "DONE".equals(status(api, queryId))), "the query completed after B came back");
        assertEquals(2, members(api), "A and B2, and nobody else");
        JsonArray inbox = api.inbox(SLOW_PHONE);
        assertEquals(1, inbox.size(), "one result text since B restarted: " + inbox.encode());
        assertEquals("【一证通查】您的号码136****6000关联的互联网账号：微信0个，QQ0个，淘宝1个，支付宝0个，百度0个，快手0个，"
            + "抖音0个，京东0个，美团0个，共1个。如有异议，请在查询页“解绑与明细查询”或拨打企业客服电话处理。",
            inbox.getJsonObject(0).getString("text"));

        List<String> seen = rogue.lines().stream().filter(l -> l.startsWith("ROGUE ")).collect(Collectors.toList());
        String all = String.join("\n", seen);
        System.out.println("what the intruder saw:\n" + all);
        assertTrue(seen.stream().noneMatch(l -> l.contains(" received ")), "an intruder was handed a message:\n" + all);
        assertTrue(seen.stream().noneMatch(l -> l.contains(" ok ")), "an intruder's call reached a handler:\n" + all);
        assertTrue(seen.stream().noneMatch(l -> l.matches("ROGUE \\w+ joined a cluster of ([2-9]|\\d\\d+)")),
            "an intruder shared a view with another process:\n" + all);
        // the coordinator turned both away (the lines are sampled: at least one of each)
        String said = nodes.stream().filter(n -> n != rogue).flatMap(n -> n.lines().stream()).collect(Collectors.joining("\n"));
        assertTrue(said.contains("cluster membership refused") && said.contains("not from the cluster CA"),
            "AUTH refused the certificate from another CA");
        assertTrue(said.contains("dropped a cluster message that is not one of ours"), "the plaintext join was dropped");

        // each node reports what it runs; neither shows a number
        String metricsA = api.get("/metrics").bodyAsString();
        String metricsB = new Api(clientB).get("/metrics").bodyAsString();
        assertTrue(metricsA.contains("yzt_pipeline_jobs_finished_total{kind=\"accounts\",status=\"DONE\"} 4.0"), "pipeline on A");
        assertTrue(metricsB.contains("yzt_enterprise_requests_total{enterprise=\"tencent\",outcome=\"ok\"}"), "connectors on B");
        assertFalse(metricsB.contains("yzt_pipeline_stream_length"), "no pipeline on B");
        for (String m : List.of(metricsA, metricsB)) {
          assertFalse(m.contains(SLOW_PHONE) || m.contains("136****") || m.contains(queryId), "a number or id in /metrics");
        }
        // B without the gateway answers only /health, /ready and /metrics
        assertEquals(200, new Api(clientB).get("/health").statusCode());
        assertEquals(404, new Api(clientB).get("/api/v1/enterprises").statusCode());
      } catch (AssertionError e) {
        for (NodeProcess n : nodes) { // what the processes said, for whoever reads the failure
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
   * SPEC §5: {@code cluster.host} is the one address the membership and the event bus listen on. A
   * node on 127.0.0.2 (loopback, but not 127.0.0.1): every socket it listens on, other than its HTTP
   * port, is bound to 127.0.0.2; the membership port and the key-exchange port (it is its own
   * coordinator) among them, and nothing answers at 127.0.0.1 on those ports.
   */
  @Test
  void theMembershipListensOnlyOnClusterHost() throws Exception {
    Path dir = Files.createTempDirectory("yzt-cluster-ca");
    TestCa ca = TestCa.create(dir).issue("node");
    JsonObject tls = new JsonObject().put("certFile", ca.cert("node").toString())
        .put("keyFile", ca.key("node").toString()).put("caFile", ca.caCert().toString());
    try (RedisServer redis = RedisServer.startNew()) {
      int port = RedisServer.freePortPair();
      JsonObject config = TestService.config(redis, new JsonObject()
          .put("node", new JsonObject().put("roles", new JsonArray().add("gateway").add("captcha").add("ratelimit")))
          .put("cluster", new JsonObject().put("host", "127.0.0.2").put("port", port)
              .put("members", new JsonArray().add("127.0.0.2:" + port)).put("tls", tls)));
      int http = config.getJsonObject("http").getInteger("port");
      try (NodeProcess node = NodeProcess.service("single", config, true)) {
        // the coordinator opens its key server once it sees itself in the view
        assertTrue(waitUntil(20_000, () -> Listeners.of(node.process().pid()).contains("127.0.0.2:" + (port + 1))),
            "key exchange listens on cluster.host:cluster.port+1: " + Listeners.of(node.process().pid()));
        List<String> listening = Listeners.of(node.process().pid());
        assertTrue(listening.contains("127.0.0.2:" + port), "membership on cluster.host:cluster.port: " + listening);
        List<String> elsewhere = listening.stream()
            .filter(l -> !l.startsWith("127.0.0.2:") && !l.endsWith(":" + http)).collect(Collectors.toList());
        assertEquals(List.of(), elsewhere, "listening off cluster.host (all: " + listening + ")");
        for (int p : new int[] {port, port + 1}) {
          assertFalse(answers("127.0.0.1", p), "something answers at 127.0.0.1:" + p);
          assertTrue(answers("127.0.0.2", p), "nothing answers at 127.0.0.2:" + p);
        }
      }
    }
  }

  static JsonObject cluster(String host, int port, JsonArray members, JsonObject tls) {
    return new JsonObject().put("host", host).put("port", port).put("members", members).put("tls", tls);
  }

  static boolean answers(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 2_000);
      return true;
    } catch (ConnectException e) {
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  static long resultTexts(Api api, String phone) {
    return api.inbox(phone).stream().filter(m -> ((JsonObject) m).getString("text", "").contains(RESULT)).count();
  }

  static int members(Api api) {
    try {
      HttpResponse<Buffer> r = api.get("/ready");
      for (Object o : r.bodyAsJsonObject().getJsonArray("checks")) {
        JsonObject c = (JsonObject) o;
        if ("eventbus".equals(c.getString("id")) && c.getJsonObject("data") != null) {
          return c.getJsonObject("data").getInteger("members", 0);
        }
      }
    } catch (RuntimeException | AssertionError e) {
      // not answering yet
    }
    return -1;
  }

  /** Event-bus messages a node received from other nodes (Vert.x's vertx_eventbus_received_total, side remote). */
  static double remoteReceived(Api api) {
    double sum = 0;
    for (String line : api.get("/metrics").bodyAsString().split("\n")) {
      if (line.startsWith("vertx_eventbus_received_total{") && line.contains("side=\"remote\"")) {
        sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return sum;
  }

  static String status(Api api, String queryId) {
    HttpResponse<Buffer> r = api.get("/api/v1/queries/" + queryId);
    return r.statusCode() == 200 ? r.bodyAsJsonObject().getString("status") : "HTTP " + r.statusCode();
  }

  static boolean waitUntil(long timeoutMs, BooleanSupplier condition) {
    return org.yzt.testing.Wait.waitUntil(timeoutMs, condition);
  }
}
