package org.yzt.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * An OpenTelemetry collector as small as a test needs: a Vert.x HTTP server taking OTLP/HTTP
 * protobuf at {@code /v1/traces}, decoded with the specification's own classes, every span kept.
 */
public final class OtlpReceiver implements AutoCloseable {
  /** One exported span, as a collector received it: hex ids, all texts it carries. */
  public record ReceivedSpan(String service, String scope, String traceId, String spanId, String parentId, String name,
      String kind, Map<String, String> attributes, List<String> events, String statusCode, String statusMessage,
      List<String> links, Map<String, String> resource, long startNanos, long endNanos) {
    public String attr(String key) {
      return attributes.get(key);
    }

    public boolean isRoot() {
      return parentId.isEmpty();
    }

    public long durationMs() {
      return (endNanos - startNanos) / 1_000_000;
    }

    /** Every text of the span: name, attribute keys and values, events, status, links, resource. */
    public List<String> texts() {
      List<String> out = new ArrayList<>();
      out.add(name);
      attributes.forEach((k, v) -> {
        out.add(k);
        out.add(v);
      });
      out.addAll(events);
      out.add(statusMessage);
      out.addAll(links);
      resource.forEach((k, v) -> {
        out.add(k);
        out.add(v);
      });
      return out;
    }

    @Override
    public String toString() {
      return kind + " " + name + " " + spanId + "<-" + parentId + " " + attributes;
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

  private OtlpReceiver() {
    try {
      server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
        if (!"/v1/traces".equals(req.path())) {
          req.response().setStatusCode(404).end();
          return;
        }
        try {
          keep(ExportTraceServiceRequest.parseFrom(body.getBytes()));
          req.response().putHeader("Content-Type", "application/x-protobuf")
              .end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
        } catch (InvalidProtocolBufferException e) {
          req.response().setStatusCode(400).end();
        }
      })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the OTLP receiver did not start", e);
    }
  }

  public static OtlpReceiver start() {
    return new OtlpReceiver();
  }

  /** The OTLP/HTTP traces URL for {@code tracing.otlpEndpoint}. */
  public String endpoint() {
    return "http://127.0.0.1:" + server.actualPort() + "/v1/traces";
  }

  public List<ReceivedSpan> spans() {
    return List.copyOf(spans);
  }

  public List<ReceivedSpan> trace(String traceId) {
    return spans.stream().filter(s -> s.traceId().equals(traceId)).collect(Collectors.toList());
  }

  /** Waits until some received span matches; returns it, or null after {@code timeoutMs}. */
  public ReceivedSpan await(Predicate<ReceivedSpan> match, long timeoutMs) throws InterruptedException {
    long until = System.currentTimeMillis() + timeoutMs;
    while (true) {
      for (ReceivedSpan s : spans) {
        if (match.test(s)) {
          return s;
        }
      }
      if (System.currentTimeMillis() > until) {
        return null;
      }
      Thread.sleep(50);
    }
  }

  private void keep(ExportTraceServiceRequest request) {
    for (ResourceSpans rs : request.getResourceSpansList()) {
      Map<String, String> resource = attributes(rs.getResource().getAttributesList());
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
          List<String> events = new ArrayList<>();
          for (io.opentelemetry.proto.trace.v1.Span.Event e : s.getEventsList()) {
            events.add(e.getName());
            attributes(e.getAttributesList()).forEach((k, v) -> events.add(k + "=" + v));
          }
          List<String> links = new ArrayList<>();
          for (io.opentelemetry.proto.trace.v1.Span.Link l : s.getLinksList()) {
            links.add(hex(l.getTraceId()) + "/" + hex(l.getSpanId()));
            attributes(l.getAttributesList()).forEach((k, v) -> links.add(k + "=" + v));
          }
          spans.add(new ReceivedSpan(resource.getOrDefault("service.name", ""), ss.getScope().getName(),
              hex(s.getTraceId()), hex(s.getSpanId()), hex(s.getParentSpanId()), s.getName(), s.getKind().name().replace("SPAN_KIND_", ""),
              attributes(s.getAttributesList()), events, s.getStatus().getCode().name(), s.getStatus().getMessage(),
              links, resource, s.getStartTimeUnixNano(), s.getEndTimeUnixNano()));
        }
      }
    }
  }

  private static Map<String, String> attributes(List<KeyValue> kvs) {
    Map<String, String> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), text(kv.getValue()));
    }
    return out;
  }

  private static String text(AnyValue v) {
    return switch (v.getValueCase()) {
      case STRING_VALUE -> v.getStringValue();
      case BOOL_VALUE -> Boolean.toString(v.getBoolValue());
      case INT_VALUE -> Long.toString(v.getIntValue());
      case DOUBLE_VALUE -> Double.toString(v.getDoubleValue());
      case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(OtlpReceiver::text).collect(Collectors.joining(","));
      case BYTES_VALUE -> hex(v.getBytesValue());
      default -> v.toString();
    };
  }

  private static String hex(ByteString b) {
    return HexFormat.of().formatHex(b.toByteArray());
  }

  @Override
  public void close() {
    vertx.close();
  }
}
