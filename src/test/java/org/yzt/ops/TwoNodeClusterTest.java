package org.yzt.ops;

import static org.yzt.testing.Wait.waitUntil;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * Two JVMs on loopback clustered through Hazelcast with a TCP member list (SPEC §5): node A runs the
 * front door and the pipeline ({@code gateway, captcha, ratelimit, smscode, query}), node B the
 * connectors and the simulators ({@code carrier, enterprise, sms, simulators}); both share one Redis.
 * A query submitted to A completes with the result text; node B stopped (SIGTERM) while the
 * enterprises are answering and started again, the query still completes.
 */
class TwoNodeClusterTest {
  /** A demo subscriber whose enterprises take 2.5 s: a job is surely in flight when B stops. */
  static final String PHONE = "13600136000";

  @Test
  void aQueryCompletesAcrossTwoNodesAndSurvivesTheConnectorNodeRestarting() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject base = TestService.config(redis, new JsonObject()
          .put("pipeline", new JsonObject().put("retryInitialMs", 200).put("retryMaxMs", 1500)
              .put("blockMs", 300).put("metricsPollMs", 500)));
      int hzA = RedisServer.freePort();
      int hzB = RedisServer.freePort();
      JsonArray members = new JsonArray().add("127.0.0.1:" + hzA).add("127.0.0.1:" + hzB);
      JsonObject configA = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("gateway").add("captcha").add("ratelimit").add("smscode").add("query")))
          .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", hzA).put("members", members));
      int httpB = RedisServer.freePort();
      JsonObject configB = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("carrier").add("enterprise").add("sms").add("simulators")))
          .put("cluster", new JsonObject().put("host", "127.0.0.1").put("port", hzB).put("members", members));
      configB.getJsonObject("http").put("port", httpB);
      int httpA = configA.getJsonObject("http").getInteger("port");

      Vertx vertx = Vertx.vertx();
      WebClient clientA = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpA));
      WebClient clientB = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(httpB));
      NodeProcess a = null;
      NodeProcess b = null;
      NodeProcess b2 = null;
      try {
        CompletableFuture<NodeProcess> startingB = CompletableFuture.supplyAsync(() -> NodeProcess.service("B", configB, true));
        a = NodeProcess.service("A", configA, true);
        b = startingB.get(120, TimeUnit.SECONDS);
        Api api = new Api(clientA);
        assertTrue(waitUntil(30_000, () -> members(api) == 2), "A sees two cluster members");

        String code = api.codeFor(PHONE); // the code goes A → B (SMS) and is read back A → B (inbox)
        HttpResponse<Buffer> accepted = api.submit(PHONE, "12345X", code);
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        String queryId = accepted.bodyAsJsonObject().getString("queryId");
        assertTrue(waitUntil(15_000, () -> "QUERYING".equals(status(api, queryId))), "A's pipeline asks B's enterprises");
        Thread.sleep(500); // the enterprises are still thinking (2.5 s)

        b.terminate(); // SIGTERM in the middle of the enterprises' answers
        Thread.sleep(2_000);
        assertEquals("QUERYING", status(api, queryId), "nothing can finish while B is away");
        assertTrue(waitUntil(10_000, () -> members(api) == 1), "A saw B leave");

        b2 = NodeProcess.service("B2", configB, true);
        assertTrue(waitUntil(60_000, () -> "DONE".equals(status(api, queryId))), "the query completed after B came back");
        JsonArray inbox = api.inbox(PHONE);
        assertEquals(1, inbox.size(), "one result text since B restarted: " + inbox.encode());
        assertEquals("【一证通查】您的号码136****6000关联的互联网账号：微信0个，QQ0个，淘宝1个，支付宝0个，百度0个，快手0个，"
            + "抖音0个，京东0个，美团0个，共1个。如有异议，请在查询页“解绑与明细查询”或拨打企业客服电话处理。",
            inbox.getJsonObject(0).getString("text"));

        // each node reports what it runs; neither shows a number
        String metricsA = new Api(clientA).get("/metrics").bodyAsString();
        String metricsB = new Api(clientB).get("/metrics").bodyAsString();
        assertTrue(metricsA.contains("yzt_api_requests_total{outcome=\"ok\",route=\"queries\"} 1.0"), metricsA);
        assertTrue(metricsA.contains("yzt_pipeline_jobs_finished_total{status=\"DONE\"} 1.0"), "pipeline on A");
        assertTrue(metricsA.contains("yzt_pipeline_stream_length "), "stream gauges on A");
        assertTrue(metricsB.contains("yzt_enterprise_requests_total{enterprise=\"tencent\",outcome=\"ok\"}"), "connectors on B");
        assertTrue(metricsB.contains("yzt_sms_messages_total{outcome=\"queued\"}"), "SMS on B");
        assertFalse(metricsB.contains("yzt_pipeline_stream_length"), "no pipeline on B");
        for (String m : List.of(metricsA, metricsB)) {
          assertFalse(m.contains(PHONE) || m.contains("136****") || m.contains(queryId), "a number or id in /metrics");
        }
        // B without the gateway answers only /health, /ready and /metrics
        Api onB = new Api(clientB);
        assertEquals(200, onB.get("/health").statusCode());
        assertEquals(404, onB.get("/api/v1/enterprises").statusCode());
        HttpResponse<Buffer> ready = api.get("/ready");
        assertEquals(200, ready.statusCode(), ready.bodyAsString());
        assertTrue(ready.bodyAsString().contains("\"circuits\":{\"tencent\":\"CLOSED\""), ready.bodyAsString());
      } finally {
        for (NodeProcess n : new NodeProcess[] {b2, b, a}) {
          if (n != null) {
            n.close();
          }
        }
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
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

  static String status(Api api, String queryId) {
    HttpResponse<Buffer> r = api.get("/api/v1/queries/" + queryId);
    return r.statusCode() == 200 ? r.bodyAsJsonObject().getString("status") : "HTTP " + r.statusCode();
  }

}
