package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.ratelimit.acquire}: count one request of a client against a per-IP bucket. Failures:
 * 400 {@code INVALID_FIELD} (unknown bucket, missing client); 429 {@code RATE_LIMITED} with
 * {@code retryAfterSeconds}; 503.
 */
public final class RateLimitAcquire {
  public static final String ADDRESS = Addresses.RATELIMIT_ACQUIRE;

  private RateLimitAcquire() {}

  /** {@code {"bucket": "captcha"|"smsCodes"|"queries", "client": ip, "requestId"?}}; the limiter checks the bucket. */
  public record Request(String bucket, String client, String requestId) implements BusMessage {
    public Request {
      if (bucket == null || client == null || client.isEmpty() || client.length() > 64) {
        throw BadMessage.field(bucket == null ? "bucket" : "client");
      }
    }

    public static Request fromJson(JsonObject json) {
      return new Request(text(json, "bucket"), text(json, "client"), text(json, "requestId"));
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("bucket", bucket).put("client", client);
      return requestId == null ? json : json.put("requestId", requestId);
    }
  }

  /** {@code {"allowed": true, "remaining": n}}. */
  public record Reply(boolean allowed, long remaining) {
    public static Reply fromJson(JsonObject json) {
      return new Reply(json.getBoolean("allowed", false), json.getLong("remaining", 0L));
    }

    public JsonObject toJson() {
      return new JsonObject().put("allowed", allowed).put("remaining", remaining);
    }
  }

  static String text(JsonObject json, String key) {
    return json.getValue(key) instanceof String s ? s : null;
  }
}
