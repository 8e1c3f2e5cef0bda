package org.yzt.carrier;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yzt.common.HttpClientConfig;
import org.yzt.common.Phone;
import org.yzt.common.Replies;
import org.yzt.common.SignedHttp;
import org.yzt.contract.Addresses;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;

/**
 * {@code yzt.carrier.verify}: {@code {"phone", "idLast6", "requestId"}} →
 * {@code {"result": "MATCH" | "MISMATCH" | "CANCELLED" | "NOT_FOUND"}}, from the carrier that serves
 * the number's prefix, by the signed request of SPEC §4 with that carrier's timeout.
 * Failure codes: 400 {@code UNSUPPORTED_NUMBER} / {@code INVALID_FIELD} for a request we cannot
 * make; 503 {@code SERVICE_UNAVAILABLE} for a carrier that did not answer (timeout, connection,
 * 408/429/5xx, the wait queue full, its circuit open); 502 {@code UPSTREAM_REJECTED} (any other
 * non-200, a 3xx included: no redirect is followed) / {@code UPSTREAM_MALFORMED} (an answer outside
 * the protocol, or longer than {@code http.client.maxResponseBytes}). The pipeline retries every
 * failure but the 400s until the deadline. Each carrier has its own {@link SignedHttp} client and
 * circuit breaker ({@code yzt_carrier_circuit_state{carrier}}: 0 closed, 1 half-open, 2 open).
 */
public final class CarrierVerticle extends VerticleBase {
  private static final Set<String> RESULTS = Set.of("MATCH", "MISMATCH", "CANCELLED", "NOT_FOUND");

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
    return vertx.eventBus().<JsonObject>consumer(Addresses.CARRIER_VERIFY, Replies.handle(body -> verify(clients, body)))
        .completion();
  }

  private Future<JsonObject> verify(Clients clients, JsonObject body) {
    String phone = Phone.normalize(body.getString("phone"));
    if (phone == null) {
      return Failures.fail(ErrorCode.INVALID_PHONE);
    }
    String idLast6 = Phone.normalizeIdLast6(body.getString("idLast6"));
    String requestId = body.getString("requestId");
    if (idLast6 == null) {
      return Failures.fail(ErrorCode.INVALID_ID_LAST6);
    }
    if (requestId == null || requestId.isBlank() || requestId.length() > 128) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    CarrierConfig carrier = CarrierConfig.forPhone(clients.carriers, phone);
    if (carrier == null) {
      return Failures.fail(ErrorCode.UNSUPPORTED_NUMBER);
    }
    JsonObject req = new JsonObject().put("requestId", requestId).put("phone", phone).put("idLast6", idLast6);
    return clients.byId.get(carrier.id()).post(req).transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(SignedHttp.tooLarge(ar.cause()) != null
            ? new ServiceException(502, "UPSTREAM_MALFORMED")
            : new ServiceException(503, ErrorCode.SERVICE_UNAVAILABLE.name()));
      }
      int status = ar.result().status();
      if (status != 200) {
        return Future.failedFuture(SignedHttp.transientStatus(status)
            ? new ServiceException(503, ErrorCode.SERVICE_UNAVAILABLE.name())
            : new ServiceException(502, "UPSTREAM_REJECTED"));
      }
      String result;
      try {
        JsonObject json = ar.result().json();
        result = json == null ? null : json.getString("result");
      } catch (RuntimeException e) {
        result = null;
      }
      if (result == null || !RESULTS.contains(result)) {
        return Future.failedFuture(new ServiceException(502, "UPSTREAM_MALFORMED"));
      }
      return Future.succeededFuture(new JsonObject().put("result", result));
    });
  }
}
