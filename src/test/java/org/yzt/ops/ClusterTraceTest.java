package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.Numbers;
import org.yzt.testing.OtlpReceiver.ReceivedSpan;
import org.yzt.testing.OtlpReceiver;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestCa;
import org.yzt.testing.TestService;

/**
 * SPEC §11 over the clustered event bus (cluster TLS, as in production): the front node (gateway,
 * pipeline) and the connectors' node (carrier, enterprises, SMS, simulators) are two processes; one
 * query is one trace, the connectors' hops and partner calls children of the front node's sends.
 */
class ClusterTraceTest {

  @Test
  void oneQueryIsOneTraceAcrossTheClusteredEventBus() throws Exception {
    Path dir = Files.createTempDirectory("yzt-cluster-ca");
    TestCa ca = TestCa.create(dir).issue("node");
    JsonObject tls = new JsonObject().put("certFile", ca.cert("node").toString())
        .put("keyFile", ca.key("node").toString()).put("caFile", ca.caCert().toString());
    try (RedisServer redis = RedisServer.startNew(); OtlpReceiver receiver = OtlpReceiver.start()) {
      JsonObject base = TestService.config(redis, new JsonObject()
          .put("pipeline", new JsonObject().put("retryInitialMs", 200).put("blockMs", 300))
          .put("tracing", new JsonObject().put("otlpEndpoint", receiver.endpoint()).put("sampleRatio", 1.0)));
      int port = RedisServer.freePortPair();
      JsonArray members = new JsonArray().add("127.0.0.1:" + port).add("127.0.0.2:" + port);
      JsonObject configA = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("gateway").add("captcha").add("ratelimit").add("smscode").add("query")))
          .put("cluster", ClusterTest.cluster("127.0.0.1", port, members, tls));
      configA.getJsonObject("tracing").put("serviceName", "yzt-front");
      JsonObject configB = base.copy().put("node", new JsonObject().put("roles",
              new JsonArray().add("carrier").add("enterprise").add("sms").add("simulators")))
          .put("cluster", ClusterTest.cluster("127.0.0.2", port, members, tls));
      configB.getJsonObject("http").put("port", RedisServer.freePort());
      configB.getJsonObject("tracing").put("serviceName", "yzt-connectors");

      Vertx vertx = Vertx.vertx();
      WebClient clientA = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(configA.getJsonObject("http").getInteger("port")));
      List<NodeProcess> nodes = new CopyOnWriteArrayList<>();
      try {
        CompletableFuture<NodeProcess> startingB = CompletableFuture.supplyAsync(() -> NodeProcess.service("B", configB, true));
        nodes.add(NodeProcess.service("A", configA, true));
        nodes.add(startingB.get(120, TimeUnit.SECONDS));
        Api api = new Api(clientA);
        assertTrue(ClusterTest.waitUntil(30_000, () -> ClusterTest.members(api) == 2), "A sees two cluster members");

        String phone = Numbers.fresh();
        HttpResponse<Buffer> accepted = api.submit(phone, "123456", api.codeFor(phone));
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        String queryId = accepted.bodyAsJsonObject().getString("queryId");
        ReceivedSpan notifying = receiver.await(s -> "job NOTIFYING".equals(s.name()) && queryId.equals(s.attr("yzt.query_id"))
            && "DONE".equals(s.attr("yzt.outcome")), 60_000);
        assertNotNull(notifying, "the query's last step: " + receiver.spans());
        String traceId = notifying.traceId();
        assertNotNull(receiver.await(s -> s.traceId().equals(traceId) && s.attr("url.full") != null
            && s.attr("url.full").contains("/sms"), 15_000), "the SMS call of the connectors' node arrived");

        List<ReceivedSpan> trace = receiver.trace(traceId);
        Map<String, ReceivedSpan> byId = new HashMap<>();
        trace.forEach(s -> byId.put(s.spanId(), s));
        ReceivedSpan root = trace.stream().filter(ReceivedSpan::isRoot).findFirst().orElseThrow();
        assertEquals("yzt-front", root.service());
        for (ReceivedSpan s : trace) {
          assertTrue(s.isRoot() || byId.containsKey(s.parentId()), "every parent is in the trace: " + s);
        }
        List<ReceivedSpan> handled = trace.stream().filter(s -> "SERVER".equals(s.kind())
            && String.valueOf(s.attr("messaging.destination.name")).matches("yzt\\.(carrier\\.verify|enterprise\\.count\\..+|sms\\.send)"))
            .toList();
        assertEquals(10, handled.size(), "the carrier, eight enterprises and the SMS gateway: " + handled);
        for (ReceivedSpan hop : handled) {
          assertEquals("yzt-connectors", hop.service(), "handled on the connectors' node: " + hop);
          ReceivedSpan sent = byId.get(hop.parentId());
          assertEquals("yzt-front", sent.service(), "sent from the front node over the clustered bus: " + sent);
          assertEquals("CLIENT", sent.kind());
        }
        long partnerCalls = trace.stream().filter(s -> "CLIENT".equals(s.kind()) && s.attr("url.full") != null
            && "yzt-connectors".equals(s.service()) && handled.contains(byId.get(s.parentId()))).count();
        assertEquals(10, partnerCalls, "each partner call below its hop on the connectors' node");
      } finally {
        for (NodeProcess n : nodes) {
          n.close();
        }
        vertx.close();
      }
    }
  }
}
