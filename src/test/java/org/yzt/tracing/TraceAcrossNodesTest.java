package org.yzt.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.OtlpReceiver.ReceivedSpan;
import org.yzt.testing.OtlpReceiver;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * SPEC §11: the trace context travels with the job. A front node in this JVM takes the query (HTTP
 * span, submission hop); a pipeline node in another process runs its first steps and is killed with
 * SIGKILL in the middle of QUERYING; a second pipeline process reclaims the job. Its steps and partner
 * calls are spans of the same trace, children of the submission, the reclaimed step marked so.
 */
class TraceAcrossNodesTest {

  @Test
  void aJobReclaimedByAnotherNodeAfterTheFirstIsKilledStaysInTheRequestsTrace() throws Exception {
    try (RedisServer redis = RedisServer.startNew(); OtlpReceiver receiver = OtlpReceiver.start()) {
      JsonObject config = TestService.config(redis, new JsonObject()
          .put("pipeline", new JsonObject().put("claimIdleMs", 1500).put("retryInitialMs", 100).put("blockMs", 300))
          .put("tracing", new JsonObject().put("otlpEndpoint", receiver.endpoint()).put("sampleRatio", 1.0)));
      JsonObject frontConfig = config.copy();
      frontConfig.getJsonObject("verticles").put("pipeline", new JsonObject().put("instances", 0));
      TestService front = TestService.start(frontConfig);
      JsonObject workerConfig = config.copy();
      workerConfig.getJsonObject("http").put("port", RedisServer.freePort());
      workerConfig.getJsonObject("simulators").put("enabled", false);
      workerConfig.getJsonObject("tracing").put("serviceName", "yzt-worker");
      workerConfig.put("node", new JsonObject().put("roles", new JsonArray().add("query").add("carrier").add("enterprise").add("sms")));

      SimFaults faults = front.context().shared(SimFaults.class, SimFaults::new);
      String phone = "15912345678";
      faults.always("enterprise:meituan", phone, Fault.delay(60_000));
      NodeProcess first = NodeProcess.service("worker-1", workerConfig, false);
      NodeProcess second = null;
      try {
        Api api = new Api(front);
        String code = api.codeFor(phone);
        HttpResponse<Buffer> accepted = api.submit(phone, "123456", code);
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        String queryId = accepted.bodyAsJsonObject().getString("queryId");

        ReceivedSpan verifying = receiver.await(s -> "job VERIFYING".equals(s.name()) && queryId.equals(s.attr("yzt.query_id")), 30_000);
        assertNotNull(verifying, "the first worker's VERIFYING step was exported");
        assertEquals("yzt-worker", verifying.service());
        org.yzt.testing.Wait.await(20_000, "the first worker asked meituan",
            () -> faults.requests("enterprise:meituan", phone) >= 1);
        first.kill(); // SIGKILL in the middle of QUERYING: its QUERYING span never ends
        faults.always("enterprise:meituan", phone, null);
        second = NodeProcess.service("worker-2", workerConfig, false);

        ReceivedSpan notifying = receiver.await(s -> "job NOTIFYING".equals(s.name()) && queryId.equals(s.attr("yzt.query_id"))
            && "DONE".equals(s.attr("yzt.outcome")), 40_000);
        assertNotNull(notifying, "the second worker finished the job: " + receiver.spans());
        String traceId = verifying.traceId();
        assertEquals(traceId, notifying.traceId(), "one trace across both workers");
        assertNotNull(receiver.await(s -> s.traceId().equals(traceId) && s.attr("url.full") != null
            && s.attr("url.full").contains("/sms"), 10_000), "the SMS call arrived");

        List<ReceivedSpan> trace = receiver.trace(traceId);
        Map<String, ReceivedSpan> byId = new HashMap<>();
        trace.forEach(s -> byId.put(s.spanId(), s));
        ReceivedSpan root = QueryTraceTest.only(trace, ReceivedSpan::isRoot);
        assertEquals("yzt", root.service(), "the front node's HTTP span is the root");
        assertEquals("/api/v1/queries", root.attr("url.path"));
        ReceivedSpan submitted = QueryTraceTest.only(trace, s -> "SERVER".equals(s.kind())
            && "yzt.query.submit".equals(s.attr("messaging.destination.name")));
        assertTrue(QueryTraceTest.isBelow(submitted, root, byId));
        ReceivedSpan reclaimed = QueryTraceTest.only(trace, s -> "job QUERYING".equals(s.name()));
        assertEquals("true", reclaimed.attr("yzt.reclaimed"), "the second worker's QUERYING resumed a reclaimed job");
        assertEquals("NOTIFYING", reclaimed.attr("yzt.outcome"));
        for (ReceivedSpan step : List.of(verifying, reclaimed, notifying)) {
          assertEquals(submitted.spanId(), step.parentId(), "every step, on either worker, is a child of the submission: " + step);
        }
        assertEquals("yzt-worker", reclaimed.service());
        // the second worker asked meituan alone, within its QUERYING step
        List<ReceivedSpan> meituan = trace.stream().filter(s -> "CLIENT".equals(s.kind()) && s.attr("url.full") != null
            && s.attr("url.full").contains("/enterprise/meituan/")).toList();
        assertTrue(meituan.stream().anyMatch(s -> QueryTraceTest.isBelow(s, reclaimed, byId) && "200".equals(s.attr("http.response.status_code"))),
            "the reclaimed step's meituan call: " + meituan);
        assertTrue(QueryTraceTest.isBelow(QueryTraceTest.only(trace, s -> "CLIENT".equals(s.kind()) && s.attr("url.full") != null
            && s.attr("url.full").contains("/sms")), notifying, byId), "the text is sent within NOTIFYING");
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
        front.close();
      }
    }
  }
}
