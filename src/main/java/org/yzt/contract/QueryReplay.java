package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.query.replay}: the answer first given under an idempotency key. Failures: 400
 * {@code INVALID_FIELD}; 409 {@code IDEMPOTENCY_KEY_REUSED} (the key came with another body); 503.
 */
public final class QueryReplay {
  public static final String ADDRESS = Addresses.QUERY_REPLAY;

  private QueryReplay() {}

  /** {@code {"kind"?: "accounts"|"cards", "idempotencyKey", "bodyHash"}}: the route's keys; no kind is "accounts". */
  public record Request(QueryKind kind, String idempotencyKey, String bodyHash) implements BusMessage {
    public Request {
      if (kind == null || idempotencyKey == null || bodyHash == null) {
        throw BadMessage.field(kind == null ? "kind" : idempotencyKey == null ? "idempotencyKey" : "bodyHash");
      }
    }

    public static Request fromJson(JsonObject json) {
      Object kind = json.getValue("kind");
      return new Request(kind == null ? QueryKind.ACCOUNTS : kind instanceof String k ? QueryKind.ofPurpose(k) : null,
          RateLimitAcquire.text(json, "idempotencyKey"), RateLimitAcquire.text(json, "bodyHash"));
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject();
      if (kind != QueryKind.ACCOUNTS) {
        json.put("kind", kind.wire);
      }
      return json.put("idempotencyKey", idempotencyKey).put("bodyHash", bodyHash);
    }
  }

  /** {@code {"found": false}} or {@code {"found": true, "answer": the first answer}}. */
  public record Reply(boolean found, JsonObject answer) {
    public static Reply notFound() {
      return new Reply(false, null);
    }

    public static Reply fromJson(JsonObject json) {
      return new Reply(json.getBoolean("found", false), json.getJsonObject("answer"));
    }

    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("found", found);
      return answer == null ? json : json.put("answer", answer);
    }
  }
}
