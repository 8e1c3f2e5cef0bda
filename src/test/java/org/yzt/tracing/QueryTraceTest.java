package org.yzt.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.sim.SimFaults;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.OtlpReceiver.ReceivedSpan;
import org.yzt.testing.OtlpReceiver;
import org.yzt.testing.ServiceExtension;

/**
 * SPEC §11: one query is one trace, exported over OTLP/HTTP into an in-process receiver: the
 * gateway's HTTP span is its root (the client's own traceparent is ignored), the event-bus hops,
 * each pipeline step with its outcome and each partner call with its status hang from it with
 * correct parent links, and the partners received the trace context.
 */
class QueryTraceTest {
  static final OtlpReceiver RECEIVER = OtlpReceiver.start();
  static final String CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("tracing", new JsonObject().put("otlpEndpoint", RECEIVER.endpoint()).put("sampleRatio", 1.0)));

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  @Test
  void oneQueryIsOneTraceFromTheHttpRequestToTheText() throws Exception {
    String phone = Numbers.fresh();
    Api api = app.api();
    String code = api.codeFor(phone);
    HttpResponse<Buffer> accepted = api.postJson("/api/v1/queries", Api.query(phone, "123456", code),
        MultiMap.caseInsensitiveMultiMap().add("traceparent", "00-" + CLIENT_TRACE + "-00f067aa0ba902b7-01"));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    assertTrue(app.redis().cli("HGET", org.yzt.testing.Layout.job(queryId), "tp").startsWith("00-"), "the job carries the request's trace context");

    ReceivedSpan notify = RECEIVER.await(s -> "job NOTIFYING".equals(s.name()) && queryId.equals(s.attr("yzt.query_id"))
        && "DONE".equals(s.attr("yzt.outcome")), 30_000);
    assertNotNull(notify, "the NOTIFYING step of the query was exported with outcome DONE: " + RECEIVER.spans());
    String traceId = notify.traceId();
    assertNotEquals(CLIENT_TRACE, traceId, "a client's traceparent is ignored");
    assertTrue(RECEIVER.spans().stream().noneMatch(s -> s.traceId().equals(CLIENT_TRACE)), "no span joins the client's trace");
    // the partner calls of the last step end before it does; wait for the whole trace to arrive
    assertNotNull(RECEIVER.await(s -> s.traceId().equals(traceId) && "CLIENT".equals(s.kind())
        && s.attr("url.full") != null && s.attr("url.full").contains("/sms"), 10_000), "the SMS gateway call: "
        + RECEIVER.trace(traceId).stream().map(Object::toString).collect(Collectors.joining("\n")));
    List<ReceivedSpan> trace = RECEIVER.trace(traceId);
    Map<String, ReceivedSpan> byId = new HashMap<>();
    trace.forEach(s -> byId.put(s.spanId(), s));

    // one root: the gateway's server span of POST /api/v1/queries
    List<ReceivedSpan> roots = trace.stream().filter(ReceivedSpan::isRoot).toList();
    assertEquals(1, roots.size(), "one root: " + roots);
    ReceivedSpan root = roots.get(0);
    assertEquals("SERVER", root.kind());
    assertEquals("/api/v1/queries", root.attr("url.path"));
    assertEquals("202", root.attr("http.response.status_code"));
    for (ReceivedSpan s : trace) {
      assertTrue(s.isRoot() || byId.containsKey(s.parentId()), "every parent is in the trace: " + s);
    }

    // the submission's bus hop hangs from the HTTP span; the steps from the submission
    // an event-bus request is a CLIENT span where it is sent and a SERVER span where it is handled
    ReceivedSpan submitted = only(trace, s -> "SERVER".equals(s.kind()) && "yzt.query.submit".equals(s.attr("messaging.destination.name")));
    assertTrue(isBelow(submitted, root, byId), "the submit hop is below the HTTP span");
    Map<String, String> outcomes = Map.of("VERIFYING", "QUERYING", "QUERYING", "NOTIFYING", "NOTIFYING", "DONE");
    for (Map.Entry<String, String> step : outcomes.entrySet()) {
      ReceivedSpan s = only(trace, x -> ("job " + step.getKey()).equals(x.name()));
      assertEquals(submitted.spanId(), s.parentId(), "a step is a child of the submission: " + s);
      assertEquals(queryId, s.attr("yzt.query_id"));
      assertEquals(step.getValue(), s.attr("yzt.outcome"), s.toString());
    }

    // each partner call: an HTTP client span with its status, below a bus hop below its step
    assertPartnerCalls(trace, byId, "job VERIFYING", "/carrier/", 1);
    assertPartnerCalls(trace, byId, "job QUERYING", "/enterprise/", 8);
    assertPartnerCalls(trace, byId, "job NOTIFYING", "/sms", 1);

    // no span per Redis command: a traced request would pay for two or more of them (bench/README.md)
    assertTrue(trace.stream().noneMatch(s -> s.attr("db.system") != null || s.attr("db.system.name") != null),
        "no Redis command spans: " + trace.stream().filter(s -> s.attr("db.system") != null).toList());

    SimFaults faults = app.service().context().shared(SimFaults.class, SimFaults::new);
    for (String peer : new String[] {"carrier", "enterprise", "sms"}) {
      assertTrue(faults.reachedBy(peer, traceId), "the " + peer + " received the trace's traceparent");
    }
  }

  private static void assertPartnerCalls(List<ReceivedSpan> trace, Map<String, ReceivedSpan> byId, String step,
      String path, int count) {
    ReceivedSpan stepSpan = only(trace, s -> step.equals(s.name()));
    List<ReceivedSpan> calls = trace.stream().filter(s -> "CLIENT".equals(s.kind()) && s.attr("url.full") != null
        && s.attr("url.full").contains(path)).toList();
    assertEquals(count, calls.size(), step + " calls " + path + ": " + calls);
    for (ReceivedSpan call : calls) {
      assertEquals("200", call.attr("http.response.status_code"), call.toString());
      assertTrue(call.endNanos() >= call.startNanos() && call.startNanos() > 0, "a duration: " + call);
      ReceivedSpan hop = byId.get(call.parentId());
      assertNotNull(hop, "the call's parent: " + call);
      assertEquals("vertx-eventbus", hop.attr("messaging.system"), "the call is made within a bus hop: " + hop);
      assertEquals("SERVER", hop.kind(), "... where it is handled: " + hop);
      assertTrue(isBelow(call, stepSpan, byId), call + " is below " + step);
    }
  }

  static ReceivedSpan only(List<ReceivedSpan> trace, java.util.function.Predicate<ReceivedSpan> match) {
    List<ReceivedSpan> found = trace.stream().filter(match).toList();
    assertEquals(1, found.size(), "exactly one: " + found);
    return found.get(0);
  }

  static boolean isBelow(ReceivedSpan span, ReceivedSpan ancestor, Map<String, ReceivedSpan> byId) {
    for (ReceivedSpan s = byId.get(span.parentId()); s != null; s = byId.get(s.parentId())) {
      if (s.spanId().equals(ancestor.spanId())) {
        return true;
      }
    }
    return false;
  }
}
