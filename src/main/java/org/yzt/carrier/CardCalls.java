package org.yzt.carrier;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.yzt.privacy.IdNumber;
import org.yzt.privacy.PersonName;
import org.yzt.config.CarrierConfig;
import org.yzt.contract.CarrierCards;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.FailureKind;
import org.yzt.contract.Failures;

/**
 * The phone-card calls of SPEC §4 and §13, over each carrier's own client and breaker per endpoint:
 * <ul>
 *   <li>{@code yzt.carrier.verifyIdentity} {"phone", "name", "idNumber", "requestId"} → {"result"}, asked of
 *       the number's carrier ({@code POST /v1/real-name/verify-identity});</li>
 *   <li>{@code yzt.carrier.cardCount} {"carrierId", "name", "idNumber", "requestId"} → {"count"}, asked of
 *       the carrier named ({@code POST /v1/card-count}); a count that is not an integer ≥ 0 is malformed.</li>
 * </ul>
 * Failure codes as {@link CarrierVerticle}'s. The name and the ID number go to the carrier and nowhere else.
 */
final class CardCalls {
  private final CarrierVerticle.Clients clients;

  CardCalls(CarrierVerticle.Clients clients) {
    this.clients = clients;
  }

  Future<JsonObject> verifyIdentity(CarrierCards.VerifyIdentity body) {
    String phone = body.phone().digits();
    JsonObject req = request(body.requestId(), body.name(), body.idNumber());
    if (req == null) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    CarrierConfig carrier = CarrierConfig.forPhone(clients.carriers, phone);
    if (carrier == null) {
      return Failures.fail(ErrorCode.UNSUPPORTED_NUMBER);
    }
    // the protocol's field order: requestId, phone, name, idNumber
    JsonObject signed = new JsonObject().put("requestId", req.getString("requestId")).put("phone", phone)
        .put("name", req.getString("name")).put("idNumber", req.getString("idNumber"));
    return CarrierVerticle.verdict(clients.client(carrier, CarrierVerticle.Endpoint.VERIFY_IDENTITY).post(signed));
  }

  Future<JsonObject> cardCount(CarrierCards.CardCount body) {
    CarrierConfig carrier = body.carrierId() == null ? null : clients.byId(body.carrierId());
    JsonObject req = request(body.requestId(), body.name(), body.idNumber());
    if (carrier == null || req == null) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    String requestId = req.getString("requestId");
    return CarrierVerticle.answer(clients.client(carrier, CarrierVerticle.Endpoint.CARD_COUNT).post(req), json -> {
      Object echoed = json.getValue("requestId");
      Object n = json.getValue("count");
      if ((echoed != null && !requestId.equals(echoed)) || !(n instanceof Integer || n instanceof Long)
          || ((Number) n).longValue() < 0 || ((Number) n).longValue() > Integer.MAX_VALUE) {
        return null;
      }
      return new CarrierCards.Count(((Number) n).intValue()).toJson();
    }, FailureKind.FINAL);
  }

  /** {"requestId", "name", "idNumber"} checked and normalised, or null. */
  private static JsonObject request(String requestId, String rawName, String rawIdNumber) {
    String name = PersonName.normalize(rawName);
    IdNumber.Checked id = IdNumber.check(rawIdNumber);
    if (requestId == null || requestId.isBlank() || requestId.length() > 128 || name == null || !id.valid()) {
      return null;
    }
    return new JsonObject().put("requestId", requestId).put("name", name).put("idNumber", id.value());
  }
}
