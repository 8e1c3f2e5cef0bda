package org.yzt.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Business counters of the public API: {@code yzt_api_requests_total{route, outcome}} where outcome
 * is "ok" or the SPEC error code (codes sent = route "sms-codes", outcome "ok"; queries accepted =
 * route "queries", outcome "ok"), and {@code yzt_api_latency_seconds{route}}. Labels are fixed
 * names: never a number, an id or a path with data in it.
 */
final class ApiMetrics {
  static final String ROUTE = "yzt.route";
  static final String ERROR = "yzt.error";
  private static final String STARTED = "yzt.started";

  private final MeterRegistry registry;
  /** Meters made once per route (and outcome), not looked up in the registry on every request. */
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  ApiMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** First handler of a named API route: records its outcome when the response ends. */
  io.vertx.core.Handler<RoutingContext> route(String name) {
    return rc -> {
      rc.put(ROUTE, name);
      rc.put(STARTED, System.nanoTime());
      if (registry != null) {
        rc.addEndHandler(ar -> record(rc));
      }
      rc.next();
    };
  }

  private void record(RoutingContext rc) {
    String route = rc.get(ROUTE);
    String error = rc.get(ERROR);
    Long started = rc.get(STARTED);
    String outcome = error == null ? "ok" : error;
    counters.computeIfAbsent(route + ' ' + outcome, k -> Counter.builder("yzt.api.requests")
        .description("API requests by route and outcome (ok or error code)")
        .tag("route", route).tag("outcome", outcome).register(registry)).increment();
    if (started != null) {
      timers.computeIfAbsent(route, k -> Timer.builder("yzt.api.latency").description("API latency by route")
          .tag("route", route).publishPercentileHistogram(false).register(registry))
          .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    }
  }
}
