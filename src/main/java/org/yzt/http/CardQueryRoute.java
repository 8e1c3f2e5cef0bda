package org.yzt.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.yzt.privacy.IdNumber;
import org.yzt.privacy.PersonName;
import org.yzt.privacy.PersonalData;
import org.yzt.privacy.Phone;
import org.yzt.contract.CardSubmission;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.FrontDoorClient;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;

/**
 * {@code POST /api/v1/card-queries} (SPEC §13): the Idempotency-Key first (its records are this route's
 * own), then body shape → formats (INVALID_PHONE, UNSUPPORTED_NUMBER, INVALID_NAME, INVALID_ID_NUMBER) →
 * the rest in one step of {@code yzt.cardquery.submit} (per-IP limit, the code of purpose cards, the two
 * phone-card windows, the durable job). The name and the ID number go only to that step, normalised.
 */
final class CardQueryRoute {
  private final FrontDoorClient bus;
  private final ClientIp clientIp;
  private final Set<String> carrierPrefixes;

  CardQueryRoute(FrontDoorClient bus, ClientIp clientIp, Set<String> carrierPrefixes) {
    this.bus = bus;
    this.clientIp = clientIp;
    this.carrierPrefixes = carrierPrefixes;
  }

  void handle(RoutingContext rc) {
    String idemKey = rc.request().getHeader(ApiRoutes.IDEMPOTENCY_KEY);
    if (ApiRoutes.refusedIdempotencyKey(rc, idemKey)) {
      return;
    }
    Object checked = validSubmission(rc);
    if (checked instanceof CardSubmission submission) {
      bus.submitCards(idemKey == null ? submission : submission.withIdempotency(idemKey, bodyHash(rc)))
          .onSuccess(answer -> ApiRoutes.json(rc, 202, answer))
          .onFailure(err -> HttpErrors.send(rc, err));
      return;
    }
    Throwable refusal = (Throwable) checked;
    if (idemKey == null) {
      HttpErrors.send(rc, refusal);
      return;
    }
    // a key used before is answered (or 409) even for a body the checks would refuse now (SPEC §2.3)
    bus.replay(new QueryReplay.Request(QueryKind.CARDS, idemKey, bodyHash(rc)))
        .onSuccess(found -> {
          if (found.found()) {
            ApiRoutes.json(rc, 202, found.answer());
          } else {
            HttpErrors.send(rc, refusal);
          }
        })
        .onFailure(err -> HttpErrors.send(rc, err));
  }

  private static String bodyHash(RoutingContext rc) {
    return PersonalData.sha256Hex(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
  }

  /**
   * The message for {@code yzt.cardquery.submit} when the body passes shape and formats, in the order of
   * SPEC §13, else the first refusal (a Throwable carrying its code). Answers nothing.
   */
  private Object validSubmission(RoutingContext rc) {
    JsonObject body = JsonBodies.parsedBody(rc);
    if (body == null) {
      return Failures.of(ErrorCode.INVALID_JSON);
    }
    String rawPhone = JsonBodies.stringField(body, "phone");
    String rawName = JsonBodies.stringField(body, "name");
    String rawId = JsonBodies.stringField(body, "idNumber");
    String smsCode = JsonBodies.stringField(body, "smsCode");
    if (rawPhone == null || rawName == null || rawId == null || smsCode == null) {
      return Failures.of(ErrorCode.INVALID_FIELD);
    }
    String phone = Phone.normalize(rawPhone);
    if (phone == null) {
      return Failures.of(ErrorCode.INVALID_PHONE);
    }
    if (!carrierPrefixes.contains(phone.substring(0, 3))) {
      return Failures.of(ErrorCode.UNSUPPORTED_NUMBER);
    }
    String name = PersonName.normalize(rawName);
    if (name == null) {
      return Failures.of(ErrorCode.INVALID_NAME);
    }
    IdNumber.Checked id = IdNumber.check(rawId);
    if (!id.valid()) {
      return IdNumber.failure(id.refusal());
    }
    if (!Phone.isSmsCode(smsCode)) {
      return Failures.of(ErrorCode.INVALID_FIELD);
    }
    return new CardSubmission(phone, name, id.value(), smsCode, clientIp.of(rc.request()), null, null,
        ApiRoutes.requestId(rc));
  }
}
