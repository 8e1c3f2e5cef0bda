package org.yzt.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.yzt.contract.QueryKind;

/**
 * Business counters of the public API: {@code yzt_api_requests_total{route, outcome, kind}} where outcome
 * is "ok" or the SPEC error code (codes sent = route "sms-codes", outcome "ok"; queries accepted =
 * route "queries" or "card-queries", outcome "ok") and kind the query it serves: "accounts" or "cards"
 * (a code's purpose; the query route's kind), "any" for the routes that serve both (captcha, status), {@code yzt_api_latency_seconds{route}} and
 * {@code yzt_api_requests_in_flight} (API requests begun and not yet answered). Labels are fixed
 * names: never a number, an id or a path with data in it. They are the service's only HTTP server
 * meters (Vert.x's own are off: see {@code Main}).
 */
final class ApiMetrics {
  static final String ROUTE = "yzt.route";
  static final String ERROR = "yzt.error";
  /** The query kind a request serves, when its handler learns it (a code's purpose); else the route's. */
  static final String KIND = "yzt.kind";
  private static final String STARTED = "yzt.started";

  private final MeterRegistry registry;
  /** Meters made once per route (and outcome), not looked up in the registry on every request. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, Counter> okCounters = new ConcurrentHashMap<>();
  private final LongAdder inFlight = new LongAdder();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
    if (registry != null) {
      Gauge.builder("yzt.api.requests.in.flight", inFlight, LongAdder::doubleValue)
          .description("API requests begun and not yet answered").register(registry);
    }
  }

  /** First handler of a named API route: records its outcome when the response ends. */
  Handler<RoutingContext> route(String name) {
    String kind = kindOf(name);
    if (registry != null) {
      // this route's meters made now, so that a request only records (no look-up for the usual outcome)
      okCounters.put(name + ' ' + kind, counter(name, "ok", kind));
      timers.computeIfAbsent(name, k -> timer(name));
    }
    return rc -> {
      rc.put(ROUTE, name);
      rc.put(KIND, kind);
      rc.put(STARTED, System.nanoTime());
      if (registry != null) {
        inFlight.increment();
        rc.addEndHandler(ar -> record(rc));
      }
      rc.next();
    };
  }

  private void record(RoutingContext rc) {
    inFlight.decrement();
    String route = rc.get(ROUTE);
    String error = rc.get(ERROR);
    String kind = rc.get(KIND);
    Long started = rc.get(STARTED);
    Counter ok = error == null ? okCounters.get(route + ' ' + kind) : null;
    String outcome = error == null ? "ok" : error;
    (ok != null ? ok : counters.computeIfAbsent(route + ' ' + outcome + ' ' + kind,
        k -> counter(route, outcome, kind))).increment();
    if (started != null) {
      timers.computeIfAbsent(route, this::timer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private Counter counter(String route, String outcome, String kind) {
    return Counter.builder("yzt.api.requests")
        .description("API requests by route, outcome (ok or error code) and query kind")
        .tag("route", route).tag("outcome", outcome).tag("kind", kind).register(registry);
  }

  /** The kind of query a route serves: its own, or "any" for the routes shared by both. */
  static String kindOf(String route) {
    return switch (route) {
      case "queries", "sms-codes" -> QueryKind.ACCOUNTS.wire;
      case "card-queries" -> QueryKind.CARDS.wire;
      default -> "any";
    };
  }

  private Timer timer(String route) {
    return Timer.builder("yzt.api.latency").description("API latency by route")
        .tag("route", route).publishPercentileHistogram(false).register(registry);
  }
}
