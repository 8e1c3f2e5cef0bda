package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/** {@code yzt.captcha.issue}: {@code {}} → a new captcha. Failures: 503. */
public final class CaptchaIssue {
  public static final String ADDRESS = Addresses.CAPTCHA_ISSUE;

  private CaptchaIssue() {}

  /** {@code {"captchaId", "image": "data:image/png;base64,…", "expiresInSeconds"}}: also SPEC §2.1's answer. */
  public record Reply(String captchaId, String image, long expiresInSeconds) {
    public static Reply fromJson(JsonObject json) {
      return new Reply(json.getString("captchaId"), json.getString("image"), json.getLong("expiresInSeconds", 0L));
    }

    public JsonObject toJson() {
      return new JsonObject().put("captchaId", captchaId).put("image", image).put("expiresInSeconds", expiresInSeconds);
    }
  }
}
