package org.yzt.carrier;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yzt.AppContext;
import org.yzt.common.Addresses;
import org.yzt.common.ErrorCode;
import org.yzt.common.Failures;
import org.yzt.common.Phone;
import org.yzt.common.Replies;
import org.yzt.common.SignedHttp;

/**
 * {@code yzt.carrier.verify}: {@code {"phone", "idLast6", "requestId"}} →
 * {@code {"result": "MATCH" | "MISMATCH" | "CANCELLED" | "NOT_FOUND"}}, from the carrier that serves
 * the number's prefix, by the signed request of SPEC §4 with that carrier's timeout.
 * Failure codes: 400 {@code UNSUPPORTED_NUMBER} / {@code INVALID_FIELD} for a request we cannot
 * make; 503 {@code SERVICE_UNAVAILABLE} for a carrier that did not answer (timeout, connection,
 * 408/429/5xx); 502 {@code UPSTREAM_REJECTED} / {@code UPSTREAM_MALFORMED} for a refusal or an
 * answer outside the protocol. The pipeline retries every failure but the 400s until the deadline.
 */
public final class CarrierVerticle extends VerticleBase {
  private static final Set<String> RESULTS = Set.of("MATCH", "MISMATCH", "CANCELLED", "NOT_FOUND");

  /** One client per carrier per process, shared by the instances. */
  static final class Clients {
    final List<CarrierConfig> carriers;
    final Map<String, SignedHttp> byId = new HashMap<>();

    Clients(AppContext ctx) {
      this.carriers = CarrierConfig.all(ctx.config);
      for (CarrierConfig c : carriers) {
        byId.put(c.id(), new SignedHttp(ctx.vertx, c.baseUrl(), "/v1/real-name/verify", c.keyId(), c.secret(),
            c.timeoutMs(), ctx.section("verticles").getJsonObject("carrier", new JsonObject()).getInteger("poolSize", 64)));
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
        return Future.failedFuture(new ServiceException(503, ErrorCode.SERVICE_UNAVAILABLE.name()));
      }
      int status = ar.result().statusCode();
      if (status != 200) {
        return Future.failedFuture(SignedHttp.transientStatus(status)
            ? new ServiceException(503, ErrorCode.SERVICE_UNAVAILABLE.name())
            : new ServiceException(502, "UPSTREAM_REJECTED"));
      }
      String result;
      try {
        JsonObject json = ar.result().bodyAsJsonObject();
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
