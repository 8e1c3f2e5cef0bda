package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.smscode.send}: issue a one-time code for a query of one purpose to a number and text it.
 * Failures: 400 {@code INVALID_PHONE} / {@code INVALID_FIELD} (another purpose); 429 {@code QUERY_LIMIT} / {@code SMS_CODE_TOO_FREQUENT} /
 * {@code SMS_CODE_DAILY_LIMIT} / {@code SMS_BUDGET_EXCEEDED} with {@code retryAfterSeconds}; 503
 * (with {@code retryAfterSeconds} while codes are paused, and after a gateway outcome that leaves the
 * cooldown in place).
 */
public final class SmsCodeSend {
  public static final String ADDRESS = Addresses.SMSCODE_SEND;
  /** The purpose under which a code's hash is keyed (PersonalData): the issuer and the submissions agree on it. */
  public static final String PURPOSE = "sms-code";

  private SmsCodeSend() {}

  /**
   * {@code {"phone": the 11 digits, "purpose"?: "accounts"|"cards", "requestId"?, "clientToken"?}}: the
   * caller normalises the number (the gateway does); no purpose is "accounts". {@code clientToken} is
   * the keyed token of the asking client (RedisKeys#clientToken, never its address: SPEC §9), so that
   * the budget's security lines are sampled per client (SPEC §10); absent from a caller of an older
   * version, whose refusals then share one line.
   */
  public record Request(PhoneNumber phone, QueryKind purpose, String requestId, String clientToken) implements BusMessage {
    /** A keyed token is 22 characters (16 bytes, base64url); anything much longer is not one. */
    static final int MAX_CLIENT_TOKEN = 64;

    public Request {
      if (phone == null) {
        throw new BadMessage(ErrorCode.INVALID_PHONE, null);
      }
      if (purpose == null) {
        throw BadMessage.field("purpose");
      }
      if (clientToken != null && (clientToken.isEmpty() || clientToken.length() > MAX_CLIENT_TOKEN)) {
        throw BadMessage.field("clientToken");
      }
    }

    public Request(PhoneNumber phone, QueryKind purpose, String requestId) {
      this(phone, purpose, requestId, null);
    }

    public static Request fromJson(JsonObject json) {
      PhoneNumber phone;
      try {
        phone = json.getValue("phone") instanceof String s ? new PhoneNumber(s) : null;
      } catch (IllegalArgumentException e) {
        phone = null;
      }
      Object purpose = json.getValue("purpose");
      if (phone == null) {
        throw new BadMessage(ErrorCode.INVALID_PHONE, null);
      }
      QueryKind kind = purpose == null ? QueryKind.ACCOUNTS : purpose instanceof String p ? QueryKind.ofPurpose(p) : null;
      Object client = json.getValue("clientToken");
      if (client != null && !(client instanceof String)) {
        throw BadMessage.field("clientToken");
      }
      return new Request(phone, kind, json.getValue("requestId") instanceof String r ? r : null, (String) client);
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("phone", phone.digits());
      if (purpose != QueryKind.ACCOUNTS) {
        json.put("purpose", purpose.wire);
      }
      if (clientToken != null) {
        json.put("clientToken", clientToken);
      }
      return requestId == null ? json : json.put("requestId", requestId);
    }
  }

  /**
   * {@code yzt.smscode.sendChecked}: {@code {"phone", "purpose"?, "captchaId", "answer", "client": ip,
   * "requestId"?}}, the code's request with what the gateway would otherwise check over two other hops
   * (the per-IP limit {@code smsCodes} and the captcha, SPEC §2.2's order kept), for a Redis that holds
   * every slot (standalone, Sentinel): one script does it all. An address of its own, so that a node of
   * an older version, which knows only {@code yzt.smscode.send}, is never handed a captcha it would not
   * check. Failures: those of {@code yzt.smscode.send}, and 400 {@code CAPTCHA_INVALID}, 429
   * {@code RATE_LIMITED} (+retryAfterSeconds), 400 {@code INVALID_FIELD} (no client).
   */
  public record Checked(PhoneNumber phone, QueryKind purpose, String captchaId, String answer, String client,
      String requestId) implements BusMessage {
    public static final String ADDRESS = Addresses.SMSCODE_SEND_CHECKED;
    /** The same message on a Redis Cluster, for a client whose limit and captcha share one slot. */
    public static final String IN_SLOT_ADDRESS = Addresses.SMSCODE_SEND_IN_SLOT;

    public Checked {
      if (phone == null) {
        throw new BadMessage(ErrorCode.INVALID_PHONE, null);
      }
      if (purpose == null) {
        throw BadMessage.field("purpose");
      }
      if (client == null || client.isEmpty() || client.length() > 64) {
        throw BadMessage.field("client");
      }
    }

    public static Checked fromJson(JsonObject json) {
      Request r = Request.fromJson(json);
      return new Checked(r.phone(), r.purpose(), RateLimitAcquire.text(json, "captchaId"),
          RateLimitAcquire.text(json, "answer"), RateLimitAcquire.text(json, "client"), r.requestId());
    }

    public static Checked of(Object body) {
      return body instanceof Checked c ? c : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("phone", phone.digits());
      if (purpose != QueryKind.ACCOUNTS) {
        json.put("purpose", purpose.wire);
      }
      json.put("captchaId", captchaId).put("answer", answer).put("client", client);
      return requestId == null ? json : json.put("requestId", requestId);
    }
  }

  /** {@code {"expiresInSeconds", "resendAfterSeconds"}}: also the HTTP answer of SPEC §2.2. */
  public record Reply(long expiresInSeconds, long resendAfterSeconds) {
    public static Reply fromJson(JsonObject json) {
      return new Reply(json.getLong("expiresInSeconds", 0L), json.getLong("resendAfterSeconds", 0L));
    }

    public JsonObject toJson() {
      return new JsonObject().put("expiresInSeconds", expiresInSeconds).put("resendAfterSeconds", resendAfterSeconds);
    }
  }
}
