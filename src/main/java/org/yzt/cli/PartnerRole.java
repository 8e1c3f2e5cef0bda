package org.yzt.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.yzt.privacy.Ids;
import org.yzt.config.SmsConfig;

/**
 * The three partner protocols of SPEC §4, as the conformance check exercises them: the endpoint
 * under the partner's base URL, the request the service sends, and what a well-formed answer is.
 */
enum PartnerRole {
  CARRIER("/v1/real-name/verify", "requestId") {
    @Override
    JsonObject request(Probe probe, String messageId) {
      return new JsonObject().put("requestId", Ids.random128()).put("phone", probe.phone()).put("idLast6", "12345X");
    }

    @Override
    String malformation(JsonObject answer) {
      return resultMalformation(answer);
    }
  },
  /** The carrier's identity check of the phone-card query (SPEC §13): checked with {@code --role carrier}. */
  CARRIER_IDENTITY("/v1/real-name/verify-identity", "requestId") {
    @Override
    JsonObject request(Probe probe, String messageId) {
      return new JsonObject().put("requestId", Ids.random128()).put("phone", probe.phone()).put("name", probe.name())
          .put("idNumber", probe.idNumber());
    }

    @Override
    String malformation(JsonObject answer) {
      return resultMalformation(answer);
    }
  },
  /** The carrier's card count of the phone-card query (SPEC §13): checked with {@code --role carrier}. */
  CARRIER_CARDS("/v1/card-count", "requestId") {
    @Override
    JsonObject request(Probe probe, String messageId) {
      return new JsonObject().put("requestId", Ids.random128()).put("name", probe.name()).put("idNumber", probe.idNumber());
    }

    @Override
    String malformation(JsonObject answer) {
      Object n = answer.getValue("count");
      return (n instanceof Integer || n instanceof Long) && ((Number) n).longValue() >= 0
          && ((Number) n).longValue() <= Integer.MAX_VALUE ? null : "count is " + n + ", not an integer >= 0";
    }
  },
  ENTERPRISE("/v1/account-count", "requestId") {
    @Override
    JsonObject request(Probe probe, String messageId) {
      return new JsonObject().put("requestId", Ids.random128()).put("phone", probe.phone());
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
    JsonObject request(Probe probe, String messageId) {
      return new JsonObject().put("messageId", messageId).put("sender", SmsConfig.DEFAULT_SENDER).put("to", probe.phone())
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
  abstract JsonObject request(Probe probe, String messageId);

  /** Whom the checks ask about: the number, and for the phone-card calls the name and ID number. */
  record Probe(String phone, String name, String idNumber) {}

  private static String resultMalformation(JsonObject answer) {
    Object result = answer.getValue("result");
    return result instanceof String r && RESULTS.contains(r) ? null : "result is " + result + ", not one of " + RESULTS;
  }

  /** The endpoints {@code --role} checks: the carrier's three, or the role's one. */
  List<PartnerRole> endpoints() {
    return this == CARRIER ? List.of(CARRIER, CARRIER_IDENTITY, CARRIER_CARDS) : List.of(this);
  }

  /** The prefix of this endpoint's check names: none for the role's first endpoint. */
  String checkPrefix() {
    return this == CARRIER_IDENTITY ? "verify-identity/" : this == CARRIER_CARDS ? "card-count/" : "";
  }

  /** Why an answer's body is not well-formed for this role (the echoed id aside), or null. */
  abstract String malformation(JsonObject answer);

  /** The role named on the command line (carrier, enterprise, sms), or null. */
  static PartnerRole of(String name) {
    for (PartnerRole r : List.of(CARRIER, ENTERPRISE, SMS)) {
      if (r.name().equalsIgnoreCase(name)) {
        return r;
      }
    }
    return null;
  }
}
