package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * The carrier's phone-card calls (SPEC §4, §13): {@code yzt.carrier.verifyIdentity} (the number's
 * carrier checks a name and a full ID number; its reply is {@link CarrierVerify.Reply}) and
 * {@code yzt.carrier.cardCount} (the carrier named counts the cards registered to an ID number).
 * The name and the ID number go to the carrier and nowhere else; the carrier service checks their
 * formats (400 {@code INVALID_FIELD}). Failures otherwise as {@link CarrierVerify}'s, but a card
 * count that was refused or malformed is {@code FINAL} for that query.
 */
public final class CarrierCards {
  public static final String VERIFY_IDENTITY = Addresses.CARRIER_VERIFY_IDENTITY;
  public static final String CARD_COUNT = Addresses.CARRIER_CARD_COUNT;

  private CarrierCards() {}

  /** {@code {"phone", "name", "idNumber", "requestId"}}. */
  public record VerifyIdentity(PhoneNumber phone, String name, String idNumber, String requestId) implements BusMessage {
    public VerifyIdentity {
      if (phone == null) {
        throw new BadMessage(ErrorCode.INVALID_PHONE, null);
      }
    }

    public static VerifyIdentity fromJson(JsonObject json) {
      return new VerifyIdentity(Fields.phone(json, "phone"), RateLimitAcquire.text(json, "name"),
          RateLimitAcquire.text(json, "idNumber"), RateLimitAcquire.text(json, "requestId"));
    }

    public static VerifyIdentity of(Object body) {
      return body instanceof VerifyIdentity r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("phone", phone.digits()).put("name", name).put("idNumber", idNumber)
          .put("requestId", requestId);
    }
  }

  /** {@code {"carrierId", "name", "idNumber", "requestId"}}. */
  public record CardCount(String carrierId, String name, String idNumber, String requestId) implements BusMessage {
    public static CardCount fromJson(JsonObject json) {
      return new CardCount(RateLimitAcquire.text(json, "carrierId"), RateLimitAcquire.text(json, "name"),
          RateLimitAcquire.text(json, "idNumber"), RateLimitAcquire.text(json, "requestId"));
    }

    public static CardCount of(Object body) {
      return body instanceof CardCount r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("carrierId", carrierId).put("name", name).put("idNumber", idNumber)
          .put("requestId", requestId);
    }
  }

  /** {@code {"count": n}}: the cards the carrier has registered to the ID number. */
  public record Count(int count) {
    public static Count fromJson(JsonObject json) {
      Object n = json.getValue("count");
      if (!(n instanceof Number c)) {
        throw BadMessage.field("count");
      }
      return new Count(c.intValue());
    }

    public JsonObject toJson() {
      return new JsonObject().put("count", count);
    }
  }
}
