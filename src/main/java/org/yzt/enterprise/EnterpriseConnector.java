package org.yzt.enterprise;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.yzt.config.HttpClientConfig;
import org.yzt.partner.SignedHttp;
import org.yzt.config.EnterpriseConfig;
import org.yzt.contract.EnterpriseCount;
import org.yzt.contract.FailureKind;
import org.yzt.contract.Failures;
import org.yzt.contract.PhoneNumber;

/**
 * The account-count client of one enterprise (SPEC §4), shared by all instances of
 * {@link EnterpriseVerticle} in a process: its own {@link SignedHttp} client ({@code maxConcurrency}
 * connections, {@code maxQueue} waiting, its timeout as a hard deadline, no redirects, the answer
 * capped at {@code http.client.maxResponseBytes}, and its circuit breaker, which opens after
 * {@code circuitMaxFailures} transient failures in a row and tries again after {@code circuitResetMs}),
 * and a bulkhead of {@code maxConcurrency + maxQueue} outstanding requests beyond which it refuses at once.
 *
 * <p>Failures, as event-bus failure codes: 503 {@code SERVICE_UNAVAILABLE} is transient (timeout,
 * connection error, HTTP 408/429/5xx, circuit open, bulkhead full) and worth retrying;
 * 400 {@code UPSTREAM_REJECTED} (any other non-200 status, a 3xx included) and 502 {@code UPSTREAM_MALFORMED}
 * (a body that is not the protocol: bad JSON, negative or non-integer count, longer than the cap)
 * are final for this query.
 *
 * <p>Metrics, labelled by enterprise id only: {@code yzt_enterprise_requests_total{enterprise,outcome}},
 * {@code yzt_enterprise_latency_seconds{enterprise}} (requests that reached the enterprise, whatever
 * the answer), {@code yzt_enterprise_circuit_state{enterprise}} (0 closed, 1 half-open, 2 open) and
 * {@code yzt_enterprise_unknown_apps_total{enterprise}}.
 */
public final class EnterpriseConnector {
  public static final String REJECTED = "UPSTREAM_REJECTED";
  public static final String MALFORMED = "UPSTREAM_MALFORMED";
  public static final String UNAVAILABLE = "SERVICE_UNAVAILABLE";

  private final EnterpriseConfig cfg;
  private final SignedHttp http;
  private final AtomicInteger outstanding = new AtomicInteger();
  private final Counter unknownApps;
  private final MeterRegistry metrics;
  private final Timer latency;
  /** yzt.enterprise.requests by outcome, each built once. */
  private final Map<String, Counter> requests = new ConcurrentHashMap<>();

  EnterpriseConnector(Vertx vertx, EnterpriseConfig cfg, HttpClientConfig client, MeterRegistry metrics, Clock clock) {
    this.cfg = cfg;
    this.metrics = metrics;
    // the bulkhead below is the limit; the pool's own wait queue only bounds it, sized to the whole
    // bulkhead so a connection still being torn down after a timeout never refuses a request early
    this.http = new SignedHttp(vertx, new SignedHttp.Peer("enterprise-" + cfg.id(), cfg.baseUrl(), "/v1/account-count",
        cfg.keyId(), cfg.secret(), cfg.timeoutMs(), cfg.maxConcurrency(), cfg.maxConcurrency() + cfg.maxQueue(),
        client.maxResponseBytes(),
        cfg.circuitMaxFailures(), cfg.circuitResetMs()), clock);
    this.unknownApps = Counter.builder("yzt.enterprise.unknown.apps")
        .description("apps an enterprise named that are not configured for it (ignored)")
        .tag("enterprise", cfg.id()).register(metrics);
    this.latency = Timer.builder("yzt.enterprise.latency")
        .description("time an enterprise took to answer (or to fail) a request that was sent to it")
        .tag("enterprise", cfg.id())
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(5))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(metrics);
    Gauge.builder("yzt.enterprise.circuit.state", http, h -> stateValue(h.circuitState()))
        .description("circuit breaker of an enterprise: 0 closed, 1 half-open, 2 open")
        .tag("enterprise", cfg.id())
        .strongReference(true)
        .register(metrics);
  }

  static double stateValue(CircuitBreakerState state) {
    return switch (state) {
      case CLOSED -> 0;
      case HALF_OPEN -> 1;
      case OPEN -> 2;
    };
  }

  /** The breaker's state: CLOSED, HALF_OPEN or OPEN. */
  public CircuitBreakerState circuitState() {
    return http.circuitState();
  }

  public EnterpriseConfig config() {
    return cfg;
  }

  /** The count of every configured app, in configured order. */
  public Future<EnterpriseCount.Reply> count(PhoneNumber phone, String requestId) {
    if (outstanding.incrementAndGet() > cfg.maxConcurrency() + cfg.maxQueue()) {
      outstanding.decrementAndGet();
      return outcome(Future.failedFuture(Failures.upstream(503, UNAVAILABLE, FailureKind.TRANSIENT)), "bulkhead");
    }
    JsonObject body = new JsonObject().put("requestId", requestId).put("phone", phone.digits());
    // the client's breaker counts only transient failures: a final answer (good or bad) never opens it
    Future<EnterpriseCount.Reply> f = timed(http.post(body)).transform(ar -> {
      if (ar.failed()) {
        // an oversized body is malformed; no answer in time, a connection error, a full wait queue or
        // an open circuit is transient
        return Future.failedFuture(SignedHttp.tooLarge(ar.cause()) != null
            ? Failures.upstream(502, MALFORMED, FailureKind.FINAL) : Failures.upstream(503, UNAVAILABLE, FailureKind.TRANSIENT));
      }
      return parse(ar.result(), requestId);
    });
    f.onComplete(ar -> outstanding.decrementAndGet());
    return outcome(f, null);
  }

  private <T> Future<T> timed(Future<T> call) {
    long started = System.nanoTime();
    return call.onComplete(ar -> {
      if (!(ar.failed() && ar.cause() instanceof OpenCircuitException)) { // an open circuit sent nothing
        latency.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      }
    });
  }

  private Future<EnterpriseCount.Reply> outcome(Future<EnterpriseCount.Reply> f, String forced) {
    return f.onComplete(ar -> {
      String outcome = forced != null ? forced
          : ar.succeeded() ? "ok" : ar.cause() instanceof ServiceException se ? Integer.toString(se.failureCode()) : "error";
      requests.computeIfAbsent(outcome, o -> metrics.counter("yzt.enterprise.requests", "enterprise", cfg.id(), "outcome", o))
          .increment();
    });
  }

  Future<EnterpriseCount.Reply> parse(SignedHttp.Answer resp, String requestId) {
    int status = resp.status();
    if (status != 200) {
      return Future.failedFuture(SignedHttp.transientStatus(status)
          ? Failures.upstream(503, UNAVAILABLE, FailureKind.TRANSIENT) : Failures.upstream(400, REJECTED, FailureKind.FINAL));
    }
    JsonArray list;
    try {
      JsonObject json = resp.json();
      if (json == null) {
        return malformed();
      }
      String echoed = json.getString("requestId");
      if (echoed != null && !echoed.equals(requestId)) {
        return malformed();
      }
      list = json.getJsonArray("accounts");
    } catch (RuntimeException e) {
      return malformed();
    }
    if (list == null) {
      return malformed();
    }
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String app : cfg.apps()) {
      counts.put(app, 0);
    }
    Set<String> seen = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject a) || !(a.getValue("app") instanceof String app)) {
        return malformed();
      }
      Object c = a.getValue("count");
      if (!(c instanceof Integer || c instanceof Long) || ((Number) c).longValue() < 0
          || ((Number) c).longValue() > Integer.MAX_VALUE || !seen.add(app)) {
        return malformed();
      }
      if (counts.containsKey(app)) {
        counts.put(app, ((Number) c).intValue());
      } else {
        unknownApps.increment();
      }
    }
    return Future.succeededFuture(new EnterpriseCount.Reply(counts));
  }

  private static <T> Future<T> malformed() {
    return Future.failedFuture(Failures.upstream(502, MALFORMED, FailureKind.FINAL));
  }

  public void close() {
    http.close();
  }
}
