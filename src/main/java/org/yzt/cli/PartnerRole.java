package org.yzt.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import org.yzt.common.Ids;

/**
 * The three partner protocols of SPEC §4, as the conformance check exercises them: the endpoint
 * under the partner's base URL, the request the service sends, and what a well-formed answer is.
 */
enum PartnerRole {
  CARRIER("/v1/real-name/verify", "requestId") {
    @Override
    JsonObject request(String phone, String messageId) {
      return new JsonObject().put("requestId", Ids.random128()).put("phone", phone).put("idLast6", "12345X");
    }

    @Override
    String malformation(JsonObject answer) {
      Object result = answer.getValue("result");
      return result instanceof String r && RESULTS.contains(r) ? null
          : "result is " + result + ", not one of " + RESULTS;
    }
  },
  ENTERPRISE("/v1/account-count", "requestId") {
    @Override
    JsonObject request(String phone, String messageId) {
      return new JsonObject().put("requestId", Ids.random128()).put("phone", phone);
    }

    @Override
    String malformation(JsonObject answer) {
      if (!(answer.getValue("accounts") instanceof JsonArray accounts)) {
        return "accounts is not an array";
      }
      for (Object o : accounts) {
        if (!(o instanceof JsonObject a) || !(a.getValue("app") instanceof String app) || app.isBlank()) {
          return "an entry of accounts has no app name: " + o;
        }
        Object n = a.getValue("count");
        // as the service reads it: a JSON integer (1, not 1.0) from 0 to 2^31-1
        if (!(n instanceof Integer || n instanceof Long) || ((Number) n).longValue() < 0
            || ((Number) n).longValue() > Integer.MAX_VALUE) {
          return "the count of " + app + " is not a non-negative integer: " + a.getValue("count");
        }
      }
      return null;
    }
  },
  SMS("/v1/sms", "messageId") {
    @Override
    JsonObject request(String phone, String messageId) {
      return new JsonObject().put("messageId", messageId).put("sender", "10699000").put("to", phone)
          .put("text", "【一证通查】接口联调测试短信，请忽略。");
    }

    @Override
    String malformation(JsonObject answer) {
      return "QUEUED".equals(answer.getValue("status")) ? null : "status is " + answer.getValue("status") + ", not QUEUED";
    }
  };

  static final Set<String> RESULTS = Set.of("MATCH", "MISMATCH", "CANCELLED", "NOT_FOUND");

  final String endpoint;
  /** The field the answer must echo. */
  final String idField;

  PartnerRole(String endpoint, String idField) {
    this.endpoint = endpoint;
    this.idField = idField;
  }

  /**
   * A request as the service sends it. For SMS every request of one run carries the same messageId,
   * which the gateway treats as one message: a conformance run texts the number at most once.
   */
  abstract JsonObject request(String phone, String messageId);

  /** Why an answer's body is not well-formed for this role (the echoed id aside), or null. */
  abstract String malformation(JsonObject answer);

  static PartnerRole of(String name) {
    for (PartnerRole r : values()) {
      if (r.name().equalsIgnoreCase(name)) {
        return r;
      }
    }
    return null;
  }
}
