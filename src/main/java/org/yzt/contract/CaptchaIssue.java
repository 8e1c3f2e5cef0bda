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
