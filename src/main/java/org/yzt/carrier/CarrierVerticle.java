package org.yzt.carrier;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.yzt.config.HttpClientConfig;
import org.yzt.bus.Replies;
import org.yzt.partner.SignedHttp;
import org.yzt.config.CarrierConfig;
import org.yzt.config.VerticlesConfig;
import org.yzt.contract.CarrierCards;
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
 * {@code http.client.maxResponseBytes}). A verification's failures are all {@code TRANSIENT}: the
 * pipeline asks until the deadline. Each carrier has its own {@link SignedHttp} client and
 * circuit breaker per endpoint ({@code yzt_carrier_circuit_state{carrier,endpoint}}: 0 closed, 1 half-open,
 * 2 open). The phone-card calls ({@code yzt.carrier.verifyIdentity}, {@code yzt.carrier.cardCount}) are
 * {@link CardCalls}.
 */
public final class CarrierVerticle extends VerticleBase {
  /** The carrier's three endpoints (SPEC §4): each has its own client and circuit breaker. */
  enum Endpoint {
    VERIFY("verify", "/v1/real-name/verify"),
    VERIFY_IDENTITY("verify-identity", "/v1/real-name/verify-identity"),
    CARD_COUNT("card-count", "/v1/card-count");

    final String label;
    final String path;

    Endpoint(String label, String path) {
      this.label = label;
      this.path = path;
    }
  }

  /** One client per carrier and endpoint per process, shared by the instances. */
  static final class Clients {
    final List<CarrierConfig> carriers;
    final Map<String, SignedHttp> byIdAndEndpoint = new HashMap<>();

    Clients(AppContext ctx) {
      this.carriers = CarrierConfig.all(ctx.config);
      HttpClientConfig client = HttpClientConfig.from(ctx.config);
      int poolSize = VerticlesConfig.from(ctx.config).carrierPoolSize();
      for (CarrierConfig c : carriers) {
        for (Endpoint endpoint : Endpoint.values()) {
          SignedHttp http = new SignedHttp(ctx.vertx, new SignedHttp.Peer("carrier-" + c.id() + "-" + endpoint.label,
              c.baseUrl(), endpoint.path, c.keyId(), c.secret(), c.timeoutMs(), poolSize, client.maxWaitQueue(),
              client.maxResponseBytes(), c.circuitMaxFailures(), c.circuitResetMs()), ctx.clock);
          byIdAndEndpoint.put(c.id() + " " + endpoint.label, http);
          Gauge.builder("yzt.carrier.circuit.state", http, h -> switch (h.circuitState()) {
                case CLOSED -> 0;
                case HALF_OPEN -> 1;
                case OPEN -> 2;
              })
              .description("circuit breaker of a carrier's endpoint: 0 closed, 1 half-open, 2 open")
              .tag("carrier", c.id())
              .tag("endpoint", endpoint.label)
              .strongReference(true)
              .register(ctx.metrics);
        }
      }
    }

    SignedHttp client(CarrierConfig carrier, Endpoint endpoint) {
      return byIdAndEndpoint.get(carrier.id() + " " + endpoint.label);
    }

    CarrierConfig byId(String id) {
      for (CarrierConfig c : carriers) {
        if (c.id().equals(id)) {
          return c;
        }
      }
      return null;
    }
  }

  private final AppContext ctx;

  public CarrierVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    Clients clients = ctx.shared(Clients.class, () -> new Clients(ctx));
    var bus = vertx.eventBus();
    CardCalls cards = new CardCalls(clients);
    return Future.all(
        bus.<Object>consumer(CarrierVerify.ADDRESS,
            Replies.handleAny(body -> verify(clients, CarrierVerify.Request.of(body)))).completion(),
        bus.<Object>consumer(CarrierCards.VERIFY_IDENTITY,
            Replies.handleAny(body -> cards.verifyIdentity(CarrierCards.VerifyIdentity.of(body)))).completion(),
        bus.<Object>consumer(CarrierCards.CARD_COUNT,
            Replies.handleAny(body -> cards.cardCount(CarrierCards.CardCount.of(body)))).completion());
  }

  private Future<JsonObject> verify(Clients clients, CarrierVerify.Request request) {
    CarrierConfig carrier = CarrierConfig.forPhone(clients.carriers, request.phone().digits());
    if (carrier == null) {
      return Failures.fail(ErrorCode.UNSUPPORTED_NUMBER);
    }
    // SPEC §4's request: the carrier's protocol, not the bus message
    JsonObject req = new JsonObject().put("requestId", request.requestId()).put("phone", request.phone().digits())
        .put("idLast6", request.idLast6());
    return verdict(clients.client(carrier, Endpoint.VERIFY).post(req));
  }

  /** The carrier's verdict from a verify or verify-identity answer, or the failure of SPEC §4's rules. */
  static Future<JsonObject> verdict(Future<SignedHttp.Answer> call) {
    return answer(call, json -> {
      Verdict v = json.getValue("result") instanceof String r ? Verdict.named(r) : null;
      return v == null ? null : new CarrierVerify.Reply(v).toJson();
    }, FailureKind.TRANSIENT);
  }

  /**
   * A carrier's answer read by {@code read} (null: malformed), or the failure SPEC §4 makes of it: 503 when
   * it did not answer or answered 408/429/5xx, 502 UPSTREAM_REJECTED for any other status that is not 200,
   * 502 UPSTREAM_MALFORMED for a body outside the protocol or past the cap. A 503 is {@code TRANSIENT};
   * the 502s are {@code answered}: what the asker should make of a carrier's refusal or garbled answer.
   */
  static Future<JsonObject> answer(Future<SignedHttp.Answer> call, Function<JsonObject, JsonObject> readAs,
      FailureKind answered) {
    return call.transform(ar -> {
      if (ar.failed()) {
        return Future.failedFuture(SignedHttp.tooLarge(ar.cause()) != null
            ? Failures.upstream(502, MALFORMED, answered)
            : Failures.of(ErrorCode.SERVICE_UNAVAILABLE, FailureKind.TRANSIENT));
      }
      int status = ar.result().status();
      if (status != 200) {
        return Future.failedFuture(SignedHttp.transientStatus(status)
            ? Failures.of(ErrorCode.SERVICE_UNAVAILABLE, FailureKind.TRANSIENT)
            : Failures.upstream(502, REJECTED, answered));
      }
      JsonObject read;
      try {
        JsonObject json = ar.result().json();
        read = json == null ? null : readAs.apply(json);
      } catch (RuntimeException e) {
        read = null;
      }
      return read == null ? Future.failedFuture(Failures.upstream(502, MALFORMED, answered)) : Future.succeededFuture(read);
    });
  }

  static final String MALFORMED = "UPSTREAM_MALFORMED";
  static final String REJECTED = "UPSTREAM_REJECTED";
}
