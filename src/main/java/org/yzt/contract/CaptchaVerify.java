package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.captcha.verify}: {@code {}} when the answer is right; the captcha is consumed either way.
 * Failures: 400 {@code CAPTCHA_INVALID} (a wrong or missing answer, an unknown, expired or used
 * captcha); 503.
 */
public final class CaptchaVerify {
  public static final String ADDRESS = Addresses.CAPTCHA_VERIFY;
  /**
   * The purpose under which an answer's hash is keyed (PersonalData): the captcha's issuer and whoever
   * checks an answer ({@code yzt.captcha.verify}, {@code yzt.smscode.sendChecked}) agree on it.
   */
  public static final String HASH_PURPOSE = "captcha";

  private CaptchaVerify() {}

  /** {@code {"captchaId", "answer", "requestId"?}}: a missing field fails as {@code CAPTCHA_INVALID}, not here. */
  public record Request(String captchaId, String answer, String requestId) implements BusMessage {
    public static Request fromJson(JsonObject json) {
      return new Request(RateLimitAcquire.text(json, "captchaId"), RateLimitAcquire.text(json, "answer"),
          RateLimitAcquire.text(json, "requestId"));
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("captchaId", captchaId).put("answer", answer);
      return requestId == null ? json : json.put("requestId", requestId);
    }
  }
}
