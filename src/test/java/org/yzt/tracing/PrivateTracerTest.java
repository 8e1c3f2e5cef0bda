package org.yzt.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * What {@link PrivateTracer} lets through to the OpenTelemetry tracer behind it (SPEC §9, §11), seen
 * by a tracer that records what it is handed: bus messages outside a trace make no span, a client
 * that asked not to be traced is not, span names and tag values lose their query string, the query
 * and a Redis command's text are dropped, and a failure keeps its class and, only when it is one of
 * our error codes, its message. The HTTP server's sampling decision is TraceSamplingTest's (ratio 0)
 * and QueryTraceTest's (ratio 1), over real HTTP.
 */
class PrivateTracerTest {
  /** A request as Vert.x describes one to a tracer: its tags as name/value pairs. */
  record Tags(List<String[]> pairs) {}

  static final TagExtractor<Tags> TAGS = new TagExtractor<>() {
    @Override
    public int len(Tags t) {
      return t.pairs().size();
    }

    @Override
    public String name(Tags t, int i) {
      return t.pairs().get(i)[0];
    }

    @Override
    public String value(Tags t, int i) {
      return t.pairs().get(i)[1];
    }
  };

  static final Tags REQUEST = new Tags(List.of(
      new String[] {"http.request.method", "GET"},
      new String[] {"url.full", "http://127.0.0.1:8080/dev/sms?phone=13800138000"},
      new String[] {"url.query", "phone=13800138000"},
      new String[] {"db.statement", "SET yzt:code 123456"},
      new String[] {"db.query.text", "EVALSHA abc 1 13800138000"},
      new String[] {"server.address", null},
      new String[] {"peer.service", "redis"}));

  /** The OpenTelemetry tracer's place: records every call and the tags as it would read them. */
  static final class Recording implements VertxTracer<Object, Object> {
    final List<String> calls = new ArrayList<>();
    final List<Map<String, String>> tags = new ArrayList<>();
    final List<Throwable> failures = new ArrayList<>();
    TagExtractor<Object> lastExtractor;
    Object lastRequest;

    @SuppressWarnings("unchecked")
    private <R> void seen(String call, R request, TagExtractor<R> extractor) {
      calls.add(call);
      lastRequest = request;
      lastExtractor = (TagExtractor<Object>) extractor;
      tags.add(extractor.extract(request));
    }

    @Override
    public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
        Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tags) {
      seen("receiveRequest " + operation, request, tags);
      return "span";
    }

    @Override
    public <R> void sendResponse(Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
      seen("sendResponse " + payload, response, tags);
      failures.add(failure);
    }

    @Override
    public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
        BiConsumer<String, String> headers, TagExtractor<R> tags) {
      seen("sendRequest " + operation, request, tags);
      return "client-span";
    }

    @Override
    public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
      seen("receiveResponse " + payload, response, tags);
      failures.add(failure);
    }

    @Override
    public void close() {
      calls.add("close");
    }
  }

  private final Recording otel = new Recording();
  private final TracingOptions options = new TracingOptions();

  @SuppressWarnings("unchecked")
  private VertxTracer<Object, Object> tracer() {
    VertxTracerFactory factory = PrivateTracer.factory(new VertxTracerFactory() {
      @Override
      public VertxTracer<?, ?> tracer(TracingOptions o) {
        return otel;
      }

      @Override
      public TracingOptions newOptions() {
        return options;
      }
    }, 1.0);
    assertSame(options, factory.newOptions(), "the options are OpenTelemetry's");
    return (VertxTracer<Object, Object>) factory.tracer(options);
  }

  private static final Map<String, String> CLEAN = cleanTags();

  private static Map<String, String> cleanTags() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("http.request.method", "GET");
    m.put("url.full", "http://127.0.0.1:8080/dev/sms");
    m.put("peer.service", "redis");
    return m;
  }

  @Test
  void aBusMessageOutsideATraceMakesNoSpanAndOneInsideJoinsIt() {
    VertxTracer<Object, Object> t = tracer();
    assertNull(t.receiveRequest(null, SpanKind.RPC, TracingPolicy.PROPAGATE, REQUEST, "yzt.query.submit",
        List.of(Map.entry("x-other", "1")), TAGS));
    assertNull(t.receiveRequest(null, SpanKind.RPC, TracingPolicy.PROPAGATE, REQUEST, "yzt.query.submit", null, TAGS));
    assertEquals(List.of(), otel.calls, "nothing handed on, not even for extraction");
    assertEquals("span", t.receiveRequest(null, SpanKind.RPC, TracingPolicy.PROPAGATE, REQUEST, "yzt.query.submit?x=1",
        List.of(Map.entry("x-other", "1"), Map.entry("TraceParent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")),
        TAGS));
    assertEquals("span", t.receiveRequest(null, SpanKind.RPC, TracingPolicy.ALWAYS, REQUEST, null, List.of(), TAGS),
        "ALWAYS starts a span without a parent");
    assertEquals(List.of("receiveRequest yzt.query.submit", "receiveRequest null"), otel.calls);
    assertEquals(CLEAN, otel.tags.get(0));
  }

  @Test
  void anUntracedRequestsResponseIsNotHandedOnAndATracedOnesIsClean() {
    VertxTracer<Object, Object> t = tracer();
    t.sendResponse(null, REQUEST, null, new IOException("x"), TAGS);
    t.receiveResponse(null, REQUEST, null, null, TAGS);
    assertEquals(List.of(), otel.calls);
    t.sendResponse(null, REQUEST, "span", new IOException("Connection reset by 198.51.100.23"), TAGS);
    t.receiveResponse(null, REQUEST, "client-span", null, TAGS);
    assertEquals(List.of("sendResponse span", "receiveResponse client-span"), otel.calls);
    assertEquals(List.of(CLEAN, CLEAN), otel.tags);
    assertEquals("java.io.IOException", otel.failures.get(0).getMessage(), "no client address from the message");
    assertNull(otel.failures.get(1));
  }

  @Test
  void aClientThatAsksNotToBeTracedIsNotAndOthersLoseTheirQuery() {
    VertxTracer<Object, Object> t = tracer();
    assertNull(t.sendRequest(null, SpanKind.RPC, TracingPolicy.IGNORE, REQUEST, "EVALSHA", (k, v) -> { }, TAGS));
    assertEquals(List.of(), otel.calls);
    assertEquals("client-span", t.sendRequest(null, SpanKind.RPC, TracingPolicy.PROPAGATE, REQUEST,
        "POST /v1/verify?phone=13800138000", (k, v) -> { }, TAGS));
    assertEquals(List.of("sendRequest POST /v1/verify"), otel.calls);
    assertEquals(CLEAN, otel.tags.get(0));
    t.close();
    assertEquals("close", otel.calls.get(1));
  }

  @Test
  void theTagsAsTheTracerReadsThemOneByOne() {
    tracer().sendRequest(null, SpanKind.RPC, TracingPolicy.PROPAGATE, REQUEST, "op", (k, v) -> { }, TAGS);
    TagExtractor<Object> seen = otel.lastExtractor;
    assertEquals(REQUEST.pairs().size(), seen.len(REQUEST));
    assertEquals("url.query", seen.name(REQUEST, 2));
    assertEquals("http://127.0.0.1:8080/dev/sms", seen.value(REQUEST, 1));
    assertNull(seen.value(REQUEST, 2));
    assertNull(seen.value(REQUEST, 3));
    assertNull(seen.value(REQUEST, 4));
    assertNull(seen.value(REQUEST, 5));
    Map<String, String> into = new LinkedHashMap<>();
    seen.extractTo(REQUEST, into);
    assertEquals(CLEAN, into);
    assertEquals(List.of("http.request.method", "url.full", "peer.service"), List.copyOf(seen.extract(REQUEST).keySet()));
  }

  @Test
  void aFailureKeepsItsClassAndOnlyAnErrorCodeAsMessage() {
    assertNull(PrivateTracer.clean(null));
    Throwable code = PrivateTracer.clean(new IllegalStateException("RATE_LIMITED"));
    assertEquals("java.lang.IllegalStateException: RATE_LIMITED", code.getMessage());
    assertEquals(0, code.getStackTrace().length, "no stack");
    assertNull(code.getCause(), "no cause, whose message could say more");
    assertEquals("java.lang.RuntimeException", PrivateTracer.clean(new RuntimeException("13800138000")).getMessage());
    assertEquals("java.lang.RuntimeException", PrivateTracer.clean(new RuntimeException("AB")).getMessage(), "too short for a code");
    assertEquals("java.lang.RuntimeException", PrivateTracer.clean(new RuntimeException((String) null)).getMessage());
    assertEquals("java.lang.RuntimeException", PrivateTracer.clean(new RuntimeException("NOT_FOUND for 13800138000")).getMessage());
    assertTrue(PrivateTracer.clean(new RuntimeException("ABC")).getMessage().endsWith(": ABC"), "three letters are a code");
  }

  @Test
  void namesLoseTheirQueryString() {
    assertNull(PrivateTracer.name(null));
    assertEquals("GET /dev/sms", PrivateTracer.name("GET /dev/sms?phone=13800138000"));
    assertEquals("GET /v1/queries", PrivateTracer.name("GET /v1/queries"));
    assertEquals("", PrivateTracer.withoutQuery("?a=1"));
  }
}
