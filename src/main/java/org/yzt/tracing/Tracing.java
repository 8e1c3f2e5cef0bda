package org.yzt.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.tracing.opentelemetry.OpenTelemetryOptions;
import io.vertx.tracing.opentelemetry.OpenTelemetryTracingFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.yzt.config.TracingConfig;

/**
 * A node's OpenTelemetry (SPEC §11 "Operators follow one query end to end"): off unless
 * {@code tracing.otlpEndpoint} names an OTLP/HTTP traces URL; HTTP requests traced at
 * {@code tracing.sampleRatio} ({@link PrivateTracer}), all that a traced request causes with it; W3C trace context the only propagation
 * (no baggage is ever read or sent). Vert.x traces the HTTP server and client and every event-bus
 * hop itself, through {@link PrivateTracer}; the pipeline adds its steps ({@link JobTrace}).
 */
public final class Tracing implements AutoCloseable {
  /** The instrumentation scope of the spans we make by hand. */
  static final String SCOPE = "org.yzt";

  private final OpenTelemetrySdk sdk;
  private final double sampleRatio;

  private Tracing(OpenTelemetrySdk sdk, double sampleRatio) {
    this.sdk = sdk;
    this.sampleRatio = sampleRatio;
  }

  /** Tracing as {@code config}'s {@code tracing} section asks: off when the endpoint is empty. */
  public static Tracing from(JsonObject config) {
    TracingConfig t = TracingConfig.from(config);
    if (!t.enabled()) {
      return new Tracing(null, 0);
    }
    double ratio = t.sampleRatio();
    OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
        .setEndpoint(t.otlpEndpoint())
        .setTimeout(Duration.ofSeconds(5)) // an unreachable collector costs a batch, never a request
        .build();
    Resource resource = Resource.getDefault().merge(Resource.create(
        Attributes.of(AttributeKey.stringKey("service.name"), t.serviceName())));
    SdkTracerProvider provider = SdkTracerProvider.builder()
        .setResource(resource)
        // the root decision is PrivateTracer's, per request, before Vert.x builds a span; below a root,
        // every span is kept as its parent was
        .setSampler(Sampler.parentBased(Sampler.alwaysOn()))
        // exported off the event loops, in batches, a second after they end; a full queue drops spans
        .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(1))
            .setMaxQueueSize(8192).build())
        .build();
    return new Tracing(OpenTelemetrySdk.builder()
        .setTracerProvider(provider)
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build(), ratio);
  }

  public boolean enabled() {
    return sdk != null;
  }

  /** Vert.x traces its HTTP server and client and its event bus: before the builder takes the options. */
  public VertxOptions configure(VertxOptions options) {
    return sdk == null ? options : options.setTracingOptions(new OpenTelemetryOptions());
  }

  /** ... through this node's SDK, by way of {@link PrivateTracer}. */
  public VertxBuilder configure(VertxBuilder builder) {
    return sdk == null ? builder : builder.withTracer(PrivateTracer.factory(new OpenTelemetryTracingFactory(sdk), sampleRatio));
  }

  /** The tracer of our own spans (a no-op one when tracing is off). */
  public Tracer tracer() {
    return (sdk == null ? OpenTelemetry.noop() : sdk).getTracer(SCOPE);
  }

  /** Exports what is still queued and stops the exporter. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
