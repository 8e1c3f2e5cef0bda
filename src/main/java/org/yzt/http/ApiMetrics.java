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

/**
 * Business counters of the public API: {@code yzt_api_requests_total{route, outcome}} where outcome
 * is "ok" or the SPEC error code (codes sent = route "sms-codes", outcome "ok"; queries accepted =
 * route "queries", outcome "ok"), {@code yzt_api_latency_seconds{route}} and
 * {@code yzt_api_requests_in_flight} (API requests begun and not yet answered). Labels are fixed
 * names: never a number, an id or a path with data in it. They are the service's only HTTP server
 * meters (Vert.x's own are off: see {@code Main}).
 */
final class ApiMetrics {
  static final String ROUTE = "yzt.route";
  static final String ERROR = "yzt.error";
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
    if (registry != null) {
      // this route's meters made now, so that a request only records (no look-up for the usual outcome)
      okCounters.put(name, counter(name, "ok"));
      timers.computeIfAbsent(name, k -> timer(name));
    }
    return rc -> {
      rc.put(ROUTE, name);
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
    Long started = rc.get(STARTED);
    Counter ok = error == null ? okCounters.get(route) : null;
    (ok != null ? ok : counters.computeIfAbsent(route + ' ' + (error == null ? "ok" : error),
        k -> counter(route, error == null ? "ok" : error))).increment();
    if (started != null) {
      timers.computeIfAbsent(route, this::timer).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }

  private Counter counter(String route, String outcome) {
    return Counter.builder("yzt.api.requests")
        .description("API requests by route and outcome (ok or error code)")
        .tag("route", route).tag("outcome", outcome).register(registry);
  }

  private Timer timer(String route) {
    return Timer.builder("yzt.api.latency").description("API latency by route")
        .tag("route", route).publishPercentileHistogram(false).register(registry);
  }
}
