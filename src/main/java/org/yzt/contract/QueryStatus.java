package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.query.status}: {@code {"queryId"}} → {@code {queryId, status, createdAt, updatedAt,
 * deadline}} (SPEC §2.4's answer, passed on as it is). Failures: 404 {@code NOT_FOUND}; 503.
 */
public final class QueryStatus {
  public static final String ADDRESS = Addresses.QUERY_STATUS;

  private QueryStatus() {}

  /** {@code {"queryId"}}: a missing or malformed id is 404, decided by the service. */
  public record Request(String queryId) implements BusMessage {
    public static Request fromJson(JsonObject json) {
      return new Request(RateLimitAcquire.text(json, "queryId"));
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("queryId", queryId);
    }
  }
}
