package org.yzt.carrier;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yzt.common.HttpClientConfig;
import org.yzt.common.Replies;
import org.yzt.common.SignedHttp;
import org.yzt.config.CarrierConfig;
import org.yzt.contract.CarrierVerify;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.FailureKind;
import org.yzt.contract.Failures;
import org.yzt.contract.Verdict;
import org.yzt.runtime.AppContext;

/**
 * {@code yzt.carrier.verify} ({@link CarrierVerify}), from the carrier that serves the number's
 * prefix, by the signed request of SPEC §4 with that carrier's timeout. 503 {@code SERVICE_UNAVAILABLE}
 * for a carrier that did not answer (timeout, connection, 408/429/5xx, the wait queue full, its
 * circuit open); 502 {@code UPSTREAM_REJECTED} (any other non-200, a 3xx included: no redirect is
 * followed) / {@code UPSTREAM_MALFORMED} (an answer outside the protocol, or longer than
 * {@code http.client.maxResponseBytes}). All of these are transient: the pipeline asks until the deadline. Each carrier has its own {@link SignedHttp} client and
 * circuit breaker ({@code yzt_carrier_circuit_state{carrier}}: 0 closed, 1 half-open, 2 open).
 */
public final class CarrierVerticle extends VerticleBase {
  private static final String REJECTED = "UPSTREAM_REJECTED";
  private static final String MALFORMED = "UPSTREAM_MALFORMED";

  /** One client per carrier per process, shared by the instances. */
  static final class Clients {
    final List<CarrierConfig> carriers;
    final Map<String, SignedHttp> byId = new HashMap<>();

    Clients(AppContext ctx) {
      this.carriers = CarrierConfig.all(ctx.config);
      HttpClientConfig client = HttpClientConfig.from(ctx.config);
      int poolSize = ctx.section("verticles").getJsonObject("carrier", new JsonObject()).getInteger("poolSize", 64);
      for (CarrierConfig c : carriers) {
        SignedHttp http = new SignedHttp(ctx.vertx, new SignedHttp.Peer("carrier-" + c.id(), c.baseUrl(),
            "/v1/real-name/verify", c.keyId(), c.secret(), c.timeoutMs(), poolSize, client.maxWaitQueue(),
            client.maxResponseBytes(), c.circuitMaxFailures(), c.circuitResetMs()));
        byId.put(c.id(), http);
        Gauge.builder("yzt.carrier.circuit.state", http, h -> switch (h.circuitState()) {
              case CLOSED -> 0;
              case HALF_OPEN -> 1;
              case OPEN -> 2;
            })
            .description("circuit breaker of a carrier: 0 closed, 1 half-open, 2 open")
            .tag("carrier", c.id())
            .strongReference(true)
            .register(ctx.metrics);
      }
    }
  }

  private final AppContext ctx;

  public CarrierVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    Clients clients = ctx.shared(Clients.class, () -> new Clients(ctx));
    return vertx.eventBus().<Object>consumer(CarrierVerify.ADDRESS,
        Replies.handleAny(body -> verify(clients, CarrierVerify.Request.of(body)))).completion();
  }

  private Future<JsonObject> verify(Clients clients, CarrierVerify.Request request) {
    CarrierConfig carrier = CarrierConfig.forPhone(clients.carriers, request.phone().digits());
    if (carrier == null) {
      return Failures.fail(ErrorCode.UNSUPPORTED_NUMBER);
    }
    // SPEC §4's request: the carrier's protocol, not the bus message
    JsonObject req = new JsonObject().put("requestId", request.requestId()).put("phone", request.phone().digits())
        .put("idLast6", request.idLast6());
    return clients.byId.get(carrier.id()).post(req).transform(ar -> {
      // every failure of a carrier is retried until the query's deadline (SPEC §3): TRANSIENT
      if (ar.failed()) {
        return Future.failedFuture(SignedHttp.tooLarge(ar.cause()) != null
            ? Failures.upstream(502, MALFORMED, FailureKind.TRANSIENT)
            : Failures.of(ErrorCode.SERVICE_UNAVAILABLE, FailureKind.TRANSIENT));
      }
      int status = ar.result().status();
      if (status != 200) {
        return Future.failedFuture(SignedHttp.transientStatus(status)
            ? Failures.of(ErrorCode.SERVICE_UNAVAILABLE, FailureKind.TRANSIENT)
            : Failures.upstream(502, REJECTED, FailureKind.TRANSIENT));
      }
      Verdict verdict;
      try {
        JsonObject json = ar.result().json();
        verdict = json == null ? null : Verdict.named(json.getString("result"));
      } catch (RuntimeException e) {
        verdict = null;
      }
      if (verdict == null) {
        return Future.failedFuture(Failures.upstream(502, MALFORMED, FailureKind.TRANSIENT));
      }
      return Future.succeededFuture(new CarrierVerify.Reply(verdict).toJson());
    });
  }
}
