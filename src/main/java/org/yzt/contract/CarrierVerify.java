package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.carrier.verify}: the real-name check of one number by the carrier that serves its
 * prefix. Failures: 400 {@code INVALID_PHONE} / {@code INVALID_ID_LAST6} / {@code INVALID_FIELD} /
 * {@code UNSUPPORTED_NUMBER} (invalid); 502 {@code UPSTREAM_REJECTED} / {@code UPSTREAM_MALFORMED}
 * and 503 (transient: the pipeline asks again until the deadline).
 */
public final class CarrierVerify {
  public static final String ADDRESS = Addresses.CARRIER_VERIFY;

  private CarrierVerify() {}

  /** {@code {"phone", "idLast6", "requestId"}}. */
  public record Request(PhoneNumber phone, String idLast6, String requestId) implements BusMessage {
    public Request {
      if (phone == null) {
        throw new BadMessage(ErrorCode.INVALID_PHONE, null);
      }
      idLast6 = IdLast6.require(idLast6);
      Fields.requestId(requestId);
    }

    public static Request fromJson(JsonObject json) {
      PhoneNumber phone = Fields.phone(json, "phone");
      Object id = json.getValue("idLast6");
      return new Request(phone, id instanceof String s ? s : null, json.getValue("requestId") instanceof String r ? r : null);
    }

    /** A message body: this record (a local delivery) or its JSON form. */
    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("phone", phone.digits()).put("idLast6", idLast6).put("requestId", requestId);
    }
  }

  /** {@code {"result": "MATCH" | "MISMATCH" | "CANCELLED" | "NOT_FOUND"}}. */
  public record Reply(Verdict result) {
    public Reply {
      if (result == null) {
        throw BadMessage.field("result");
      }
    }

    public static Reply fromJson(JsonObject json) {
      return new Reply(Verdict.named(json.getString("result")));
    }

    public JsonObject toJson() {
      return new JsonObject().put("result", result.name());
    }
  }
}
