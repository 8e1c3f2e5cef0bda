package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * A phone-card submission, as {@code yzt.cardquery.submit} takes it (SPEC §13): the gateway's route
 * sends it with every field normalised; another system sends the same JSON. The query service checks
 * each field in the route's order (its refusals are the route's), so this record only carries them.
 */
public record CardSubmission(String phone, String name, String idNumber, String smsCode, String client,
    String idempotencyKey, String bodyHash, String requestId) implements BusMessage {
  public static final String ADDRESS = Addresses.CARDQUERY_SUBMIT;

  public static CardSubmission fromJson(JsonObject json) {
    return new CardSubmission(RateLimitAcquire.text(json, "phone"), RateLimitAcquire.text(json, "name"),
        RateLimitAcquire.text(json, "idNumber"), RateLimitAcquire.text(json, "smsCode"),
        RateLimitAcquire.text(json, "client"), RateLimitAcquire.text(json, "idempotencyKey"),
        RateLimitAcquire.text(json, "bodyHash"), RateLimitAcquire.text(json, "requestId"));
  }

  public static CardSubmission of(Object body) {
    return body instanceof CardSubmission s ? s : fromJson(Fields.json(body));
  }

  /** This submission under an idempotency key, with the hash of the HTTP body it came in. */
  public CardSubmission withIdempotency(String key, String hash) {
    return new CardSubmission(phone, name, idNumber, smsCode, client, key, hash, requestId);
  }

  @Override
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("phone", phone).put("name", name).put("idNumber", idNumber)
        .put("smsCode", smsCode).put("client", client);
    if (idempotencyKey != null) {
      json.put("idempotencyKey", idempotencyKey).put("bodyHash", bodyHash);
    }
    return requestId == null ? json : json.put("requestId", requestId);
  }
}
