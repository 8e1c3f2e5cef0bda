package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.captcha.issue}: a new captcha, drawn or spoken. Failures: 400 {@code INVALID_FIELD}
 * (another kind); 503.
 */
public final class CaptchaIssue {
  public static final String ADDRESS = Addresses.CAPTCHA_ISSUE;

  private CaptchaIssue() {}

  /** {@code {"kind"?: "image"|"audio"}}: no kind is an image. */
  public record Request(CaptchaKind kind) implements BusMessage {
    public Request {
      if (kind == null) {
        throw BadMessage.field("kind");
      }
    }

    public static Request fromJson(JsonObject json) {
      Object kind = json.getValue("kind");
      return new Request(kind == null ? CaptchaKind.IMAGE : kind instanceof String k ? CaptchaKind.of(k) : null);
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      return kind == CaptchaKind.IMAGE ? new JsonObject() : new JsonObject().put("kind", kind.wire);
    }
  }

  /**
   * {@code yzt.captcha.issueChecked}: {@code {"kind"?, "client": ip, "requestId"?}}, a new captcha with the
   * per-IP limits the gateway would otherwise take over another hop ({@code limits.perIp.captcha}, and
   * {@code audioCaptcha} for a spoken one), for a Redis that holds every slot (standalone, Sentinel): one
   * script counts them and stores the captcha. An address of its own, so that a node of an older version,
   * which knows only {@code yzt.captcha.issue}, is never handed a request it would not limit. Failures:
   * those of {@code yzt.captcha.issue}, and 429 {@code RATE_LIMITED} (+retryAfterSeconds), 400
   * {@code INVALID_FIELD} (no client).
   */
  public record Checked(CaptchaKind kind, String client, String requestId) implements BusMessage {
    public static final String ADDRESS = Addresses.CAPTCHA_ISSUE_CHECKED;
    /** The same message on a Redis Cluster, for a client whose limits share one slot. */
    public static final String IN_SLOT_ADDRESS = Addresses.CAPTCHA_ISSUE_IN_SLOT;

    public Checked {
      if (kind == null) {
        throw BadMessage.field("kind");
      }
      if (client == null || client.isEmpty() || client.length() > 64) {
        throw BadMessage.field("client");
      }
    }

    public static Checked fromJson(JsonObject json) {
      Request r = Request.fromJson(json);
      return new Checked(r.kind(), RateLimitAcquire.text(json, "client"), RateLimitAcquire.text(json, "requestId"));
    }

    public static Checked of(Object body) {
      return body instanceof Checked c ? c : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new Request(kind).toJson().put("client", client);
      return requestId == null ? json : json.put("requestId", requestId);
    }
  }

  /**
   * {@code {"captchaId", "image"|"audio": data URL, "expiresInSeconds"}}: the field named by the kind;
   * also SPEC §2.1's answer.
   */
  public record Reply(String captchaId, CaptchaKind kind, String data, long expiresInSeconds) {
    public static Reply fromJson(JsonObject json) {
      CaptchaKind kind = json.containsKey(CaptchaKind.AUDIO.wire) ? CaptchaKind.AUDIO : CaptchaKind.IMAGE;
      return new Reply(json.getString("captchaId"), kind, json.getString(kind.wire), json.getLong("expiresInSeconds", 0L));
    }

    public JsonObject toJson() {
      return new JsonObject().put("captchaId", captchaId).put(kind.wire, data).put("expiresInSeconds", expiresInSeconds);
    }
  }
}
