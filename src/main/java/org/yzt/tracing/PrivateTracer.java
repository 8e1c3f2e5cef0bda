package org.yzt.tracing;

import io.vertx.core.Context;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.spi.VertxTracerFactory;
import io.vertx.core.spi.tracing.SpanKind;
import io.vertx.core.spi.tracing.TagExtractor;
import io.vertx.core.spi.tracing.VertxTracer;
import io.vertx.core.tracing.TracingOptions;
import io.vertx.core.tracing.TracingPolicy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * Vert.x's OpenTelemetry tracer with three rules of ours in front (SPEC §9, §11). A public client's
 * {@code traceparent} is never read: the HTTP server starts every trace itself (a client must not
 * choose our trace ids or force sampling). The HTTP server decides there, at {@code tracing.sampleRatio},
 * whether a request is traced at all: one that is not makes no span, so nothing it causes does (bus
 * hops, Redis commands and partner calls are traced only below a span); Vert.x would otherwise build a
 * span and read every tag of each request, bus message and Redis command for the sampler to drop
 * (3x the front door's CPU per request at ratio 0.01, bench/README.md). And no personal data reaches a span: URLs lose their query
 * string (where {@code /dev/sms?phone=} carries a number), {@code url.query} and a Redis command's text
 * are dropped, span names are
 * cut at a {@code ?}, and a failure is recorded by its class alone, its message only when it is one of
 * our error codes (a socket error's message may name the client's address).
 */
final class PrivateTracer implements VertxTracer<Object, Object> {
  private static final Pattern ERROR_CODE = Pattern.compile("[A-Z][A-Z_]{2,40}");
  /** Tags never kept: a query string, and a Redis command's text should a client version add one (its arguments). */
  private static final Set<String> DROPPED = Set.of("url.query", "db.statement", "db.query.text");
  private static final String TRACEPARENT = "traceparent";
  private final VertxTracer<Object, Object> delegate;
  private final double sampleRatio;

  private PrivateTracer(VertxTracer<Object, Object> delegate, double sampleRatio) {
    this.delegate = delegate;
    this.sampleRatio = sampleRatio;
  }

  @SuppressWarnings("unchecked")
  static VertxTracerFactory factory(VertxTracerFactory vertxOpenTelemetry, double sampleRatio) {
    return new VertxTracerFactory() {
      @Override
      public VertxTracer<?, ?> tracer(TracingOptions options) {
        return new PrivateTracer((VertxTracer<Object, Object>) vertxOpenTelemetry.tracer(options), sampleRatio);
      }

      @Override
      public TracingOptions newOptions() {
        return vertxOpenTelemetry.newOptions();
      }
    };
  }

  @Override
  public <R> Object receiveRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
      Iterable<Map.Entry<String, String>> headers, TagExtractor<R> tags) {
    if (request instanceof HttpServerRequest) {
      if (policy == TracingPolicy.IGNORE || ThreadLocalRandom.current().nextDouble() >= sampleRatio) {
        return null;
      }
      return delegate.receiveRequest(context, kind, policy, request, name(operation), List.of(), new Clean<>(tags));
    }
    if (policy != TracingPolicy.ALWAYS && !carriesTraceparent(headers)) {
      return null; // a bus message sent outside any trace: nothing to join (no extraction, no context look-up)
    }
    return delegate.receiveRequest(context, kind, policy, request, name(operation), headers, new Clean<>(tags));
  }

  private static boolean carriesTraceparent(Iterable<Map.Entry<String, String>> headers) {
    if (headers == null) {
      return false;
    }
    for (Map.Entry<String, String> h : headers) {
      if (TRACEPARENT.equalsIgnoreCase(h.getKey())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public <R> void sendResponse(Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
    if (payload == null) {
      return; // not traced
    }
    delegate.sendResponse(context, response, payload, clean(failure), new Clean<>(tags));
  }

  @Override
  public <R> Object sendRequest(Context context, SpanKind kind, TracingPolicy policy, R request, String operation,
      BiConsumer<String, String> headers, TagExtractor<R> tags) {
    if (policy == TracingPolicy.IGNORE) {
      return null; // a client that asked not to be traced (Redis): not even a wrapper for the tags
    }
    return delegate.sendRequest(context, kind, policy, request, name(operation), headers, new Clean<>(tags));
  }

  @Override
  public <R> void receiveResponse(Context context, R response, Object payload, Throwable failure, TagExtractor<R> tags) {
    if (payload == null) {
      return; // not traced
    }
    delegate.receiveResponse(context, response, payload, clean(failure), new Clean<>(tags));
  }

  @Override
  public void close() {
    delegate.close();
  }

  static String name(String operation) {
    return operation == null ? null : withoutQuery(operation);
  }

  static String withoutQuery(String value) {
    int q = value.indexOf('?');
    return q < 0 ? value : value.substring(0, q);
  }

  /** A failure as a span may show it: its class, and its message only when that is an error code. */
  static Throwable clean(Throwable failure) {
    if (failure == null) {
      return null;
    }
    String message = failure.getMessage();
    return new RecordedFailure(failure.getClass().getName()
        + (message != null && ERROR_CODE.matcher(message).matches() ? ": " + message : ""));
  }

  /** What a span's exception event says of a failure: no stack, no message beyond {@link #clean}'s. */
  static final class RecordedFailure extends RuntimeException {
    RecordedFailure(String what) {
      super(what, null, false, false);
    }
  }

  /** Vert.x's tags of a request or response without a query string. */
  private record Clean<T>(TagExtractor<T> tags) implements TagExtractor<T> {
    @Override
    public int len(T obj) {
      return tags.len(obj);
    }

    @Override
    public String name(T obj, int index) {
      return tags.name(obj, index);
    }

    @Override
    public String value(T obj, int index) {
      String name = tags.name(obj, index);
      String value = tags.value(obj, index);
      if (value == null) {
        return null;
      }
      return DROPPED.contains(name) ? null : withoutQuery(value);
    }

    @Override
    public Map<String, String> extract(T obj) {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      extractTo(obj, out::put);
      return out;
    }

    @Override
    public void extractTo(T obj, Map<String, String> tags) {
      extractTo(obj, tags::put);
    }

    @Override
    public void extractTo(T obj, BiConsumer<String, String> consumer) {
      int len = len(obj);
      for (int i = 0; i < len; i++) {
        String v = value(obj, i);
        if (v != null) {
          consumer.accept(name(obj, i), v);
        }
      }
    }
  }
}
