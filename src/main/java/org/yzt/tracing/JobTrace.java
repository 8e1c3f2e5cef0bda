package org.yzt.tracing;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.Map;

/**
 * The trace of one job through the pipeline. The job carries the W3C {@code traceparent} of the
 * request that submitted it in Redis (written by the submission, only when that request is sampled),
 * so a step run hours later on another node, after a park, a reclaim or a restart, is a span of the
 * same trace: Vert.x has no hook for a job read from a stream, hence these hand-made spans. Each step
 * is one span named {@code job <STATE>} with the query id (a random id, not personal data) and its
 * outcome; the event-bus requests a step makes are sent with its span current, so Vert.x's hop spans
 * and the partner calls beneath them are its children. A job without a trace context makes no spans.
 */
public final class JobTrace {
  public static final AttributeKey<String> QUERY_ID = AttributeKey.stringKey("yzt.query_id");
  public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("yzt.outcome");
  public static final AttributeKey<String> STEP = AttributeKey.stringKey("yzt.step");
  public static final AttributeKey<Boolean> RECLAIMED = AttributeKey.booleanKey("yzt.reclaimed");
  private static final JobTrace NONE = new JobTrace(null, null, null);
  private static final String TRACEPARENT = "traceparent";
  private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  };

  private final Tracer tracer;
  private final Context parent;
  private final String queryId;
  /** A redriven job's first pass: the root of its new trace, ended with the pass. */
  private Span redrive;
  private Span step;
  private boolean reclaimed;

  private JobTrace(Tracer tracer, Context parent, String queryId) {
    this.tracer = tracer;
    this.parent = parent;
    this.queryId = queryId;
  }

  /** The {@code traceparent} of the span current on this thread's Vert.x context when it is sampled, else null. */
  public static String currentTraceparent() {
    SpanContext sc = Span.current().getSpanContext();
    if (!sc.isValid() || !sc.isSampled()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(2);
    W3CTraceContextPropagator.getInstance().inject(Context.current(), carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  /** The trace of a job whose stored trace context is {@code traceparent} (null or blank: no spans). */
  public static JobTrace of(Tracing tracing, String traceparent, String queryId) {
    if (tracing == null || !tracing.enabled() || traceparent == null || traceparent.isBlank()) {
      return NONE;
    }
    Context parent = W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), Map.of(TRACEPARENT, traceparent), GETTER);
    if (!Span.fromContext(parent).getSpanContext().isValid()) {
      return NONE;
    }
    return new JobTrace(tracing.tracer(), parent, queryId);
  }

  /**
   * The first pass of a redriven dead letter: a new trace, its root span {@code job redriven} linked to
   * the first run's trace ({@code linkTo}, the job's former traceparent). Its {@link #traceparent()} is
   * kept with the job so that later passes join it. No spans when tracing is off.
   */
  public static JobTrace redriven(Tracing tracing, String linkTo, String queryId) {
    if (tracing == null || !tracing.enabled()) {
      return NONE;
    }
    Context old = W3CTraceContextPropagator.getInstance().extract(Context.root(), Map.of(TRACEPARENT, linkTo), GETTER);
    SpanContext previous = Span.fromContext(old).getSpanContext();
    SpanBuilder builder = tracing.tracer().spanBuilder("job redriven").setNoParent().setSpanKind(SpanKind.INTERNAL)
        .setAttribute(QUERY_ID, queryId);
    if (previous.isValid()) {
      builder.addLink(previous);
    }
    Span root = builder.startSpan();
    JobTrace trace = new JobTrace(tracing.tracer(), Context.root().with(root), queryId);
    trace.redrive = root;
    return trace;
  }

  /** Whether this pass makes spans. */
  public boolean recording() {
    return tracer != null;
  }

  /** The W3C traceparent of this pass's parent context (for a redriven job: its new root), null when not recording. */
  public String traceparent() {
    if (tracer == null) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>(2);
    W3CTraceContextPropagator.getInstance().inject(parent, carrier, Map::put);
    return carrier.get(TRACEPARENT);
  }

  /** The pass ended with {@code outcome}: its last step ends, and a redrive's root span with it. */
  public void finish(String outcome) {
    end(outcome);
    if (redrive != null) {
      redrive.setAttribute(OUTCOME, outcome);
      redrive.end();
      redrive = null;
    }
  }

  /** This pass picked the job up from a worker that went silent. */
  public JobTrace reclaimed(boolean reclaimed) {
    this.reclaimed = reclaimed;
    return this;
  }

  /** A step begins (the one before it, if any, ends having led to it). */
  public void step(String state) {
    if (tracer == null) {
      return;
    }
    end(state);
    step = tracer.spanBuilder("job " + state).setParent(parent).setSpanKind(SpanKind.INTERNAL)
        .setAttribute(QUERY_ID, queryId).setAttribute(STEP, state).setAttribute(RECLAIMED, reclaimed)
        .startSpan();
  }

  /** The current step ends with {@code outcome} (a state, or how the pass ended). */
  public void end(String outcome) {
    if (step != null) {
      step.setAttribute(OUTCOME, outcome);
      step.end();
      step = null;
    }
  }

  /** The pass failed (Redis unreachable, say): the job will be resumed. Only the failure's class is kept. */
  public void fail(Throwable err) {
    if (step != null) {
      step.setStatus(StatusCode.ERROR, err.getClass().getSimpleName());
    }
    finish("RESUMED_LATER");
  }

  /**
   * Makes the current step's span current on this Vert.x context for what is sent synchronously inside
   * the scope (an event-bus request): close it right after the send.
   */
  public Scope activate() {
    return step == null ? Scope.noop() : parent.with(step).makeCurrent();
  }
}
