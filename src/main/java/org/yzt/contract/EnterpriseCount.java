package org.yzt.contract;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code yzt.enterprise.count.<id>}: how many accounts one enterprise's apps hold for a number.
 * Failures: 503 transient (timeout, 408/429/5xx, circuit open, bulkhead full); 400
 * {@code UPSTREAM_REJECTED} and 502 {@code UPSTREAM_MALFORMED} final for that query; 400
 * {@code INVALID_FIELD} for a request that cannot be made.
 */
public final class EnterpriseCount {
  private EnterpriseCount() {}

  public static String address(String enterpriseId) {
    return Addresses.enterpriseCount(enterpriseId);
  }

  /** {@code {"phone", "requestId"}}. */
  public record Request(PhoneNumber phone, String requestId) implements BusMessage {
    public Request {
      if (phone == null) {
        throw BadMessage.field("phone");
      }
      Fields.requestId(requestId);
    }

    public static Request fromJson(JsonObject json) {
      PhoneNumber phone = json.getValue("phone") instanceof String s ? PhoneNumber.parse(s) : null;
      return new Request(phone, json.getValue("requestId") instanceof String r ? r : null);
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("phone", phone.digits()).put("requestId", requestId);
    }
  }

  /** {@code {"accounts": {app: count, …}}}: every configured app of that enterprise, in order, 0 when omitted. */
  public record Reply(Map<String, Integer> accounts) {
    public Reply {
      accounts = Collections.unmodifiableMap(new LinkedHashMap<>(accounts));
    }

    /** The accounts the reply gives; a count that is not a number reads 0. */
    public static Reply fromJson(JsonObject json) {
      JsonObject a = json.getJsonObject("accounts", new JsonObject());
      Map<String, Integer> accounts = new LinkedHashMap<>();
      for (String app : a.fieldNames()) {
        accounts.put(app, a.getValue(app) instanceof Number n ? n.intValue() : 0);
      }
      return new Reply(accounts);
    }

    /** The count of {@code app}, 0 when the reply does not name it. */
    public int count(String app) {
      return accounts.getOrDefault(app, 0);
    }

    public JsonObject toJson() {
      JsonObject a = new JsonObject();
      accounts.forEach(a::put);
      return new JsonObject().put("accounts", a);
    }
  }
}
