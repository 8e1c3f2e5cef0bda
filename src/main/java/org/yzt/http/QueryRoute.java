package org.yzt.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;
import org.yzt.privacy.PersonalData;
import org.yzt.privacy.Phone;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.FrontDoorClient;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;
import org.yzt.contract.Submission;

/**
 * {@code POST /api/v1/queries} (SPEC §2.3): the Idempotency-Key first, then body shape → formats
 * (INVALID_PHONE, UNSUPPORTED_NUMBER, INVALID_ID_LAST6) → the rest in one step of {@code yzt.query.submit}
 * (per-IP limit, the code, the number's window, the durable job).
 */
final class QueryRoute {
  private final FrontDoorClient bus;
  private final ClientIp clientIp;
  private final Set<String> carrierPrefixes;

  QueryRoute(FrontDoorClient bus, ClientIp clientIp, Set<String> carrierPrefixes) {
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
    if (idemKey == null) {
      if (checked instanceof ErrorCode refusal) {
        HttpErrors.send(rc, refusal);
      } else {
        submit(rc, (Submission) checked);
      }
      return;
    }
    // the key is looked up before anything else (SPEC §2.3): a replay is answered even if limits or
    // the code would refuse it now. A valid body goes straight to the submission script, which looks
    // the key up first thing (one hop, one round trip); only a body that the checks refuse needs the
    // look-up on its own, since a key used with another body is 409 even then.
    String bodyHash = PersonalData.sha256Hex(rc.body().buffer() == null ? new byte[0] : rc.body().buffer().getBytes());
    if (checked instanceof Submission s) {
      submit(rc, new Submission(s.phone(), s.idLast6(), s.smsCode(), s.client(), idemKey, bodyHash,
          s.requestId()));
      return;
    }
    bus.replay(new QueryReplay.Request(QueryKind.ACCOUNTS, idemKey, bodyHash))
        .onSuccess(found -> {
          if (found.found()) {
            ApiRoutes.json(rc, 202, found.answer());
          } else {
            HttpErrors.send(rc, (ErrorCode) checked);
          }
        })
        .onFailure(err -> HttpErrors.send(rc, err));
  }

  /**
   * The submission (a {@link Submission}) when the body passes the checks of SPEC §2.3 in their order (shape,
   * formats), else the first refusal as an {@link ErrorCode}. Answers nothing.
   */
  private Object validSubmission(RoutingContext rc) {
    JsonObject body = JsonBodies.parsedBody(rc);
    if (body == null) {
      return ErrorCode.INVALID_JSON;
    }
    String rawPhone = JsonBodies.stringField(body, "phone");
    String rawId = JsonBodies.stringField(body, "idLast6");
    String smsCode = JsonBodies.stringField(body, "smsCode");
    if (rawPhone == null || rawId == null || smsCode == null) {
      return ErrorCode.INVALID_FIELD;
    }
    String phone = Phone.normalize(rawPhone);
    if (phone == null) {
      return ErrorCode.INVALID_PHONE;
    }
    if (!carrierPrefixes.contains(phone.substring(0, 3))) {
      return ErrorCode.UNSUPPORTED_NUMBER;
    }
    String idLast6 = Phone.normalizeIdLast6(rawId);
    if (idLast6 == null) {
      return ErrorCode.INVALID_ID_LAST6;
    }
    if (!Phone.isSmsCode(smsCode)) {
      return ErrorCode.INVALID_FIELD;
    }
    // the per-IP limit for queries is counted inside the submission script: one Redis round trip
    return new Submission(phone, idLast6, smsCode, clientIp.of(rc.request()), null, null, ApiRoutes.requestId(rc));
  }

  private void submit(RoutingContext rc, Submission msg) {
    bus.submit(msg)
        .onSuccess(answer -> ApiRoutes.json(rc, 202, answer))
        .onFailure(err -> HttpErrors.send(rc, err));
  }
}
