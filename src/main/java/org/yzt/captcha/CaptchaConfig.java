package org.yzt.captcha;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The {@code captcha.*} settings (SPEC §5).
 *
 * @param fixed        true in {@code "fixed"} mode: every captcha takes {@code fixedAnswer} (never in prod)
 * @param fixedAnswer  the answer in fixed mode, uppercased; null in image mode
 * @param ttlSeconds   how long an unused captcha lives
 */
public record CaptchaConfig(boolean fixed, String fixedAnswer, long ttlSeconds) {
  public static final long DEFAULT_TTL_SECONDS = 120;

  public CaptchaConfig {
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException("captcha.ttlSeconds must be at least 1");
    }
    if (fixed && (fixedAnswer == null || fixedAnswer.isBlank() || fixedAnswer.length() > CaptchaService.MAX_ANSWER_CHARS)) {
      throw new IllegalArgumentException("captcha.fixedAnswer must be 1 to " + CaptchaService.MAX_ANSWER_CHARS
          + " characters in \"fixed\" mode");
    }
  }

  /** Never shows the fixed answer: it is a captcha answer, and answers stay out of logs. */
  @Override
  public String toString() {
    return "CaptchaConfig[mode=" + (fixed ? "fixed" : "image") + ", ttlSeconds=" + ttlSeconds + "]";
  }

  /** Reads {@code captcha.*} from the whole configuration; refuses "fixed" mode in the prod profile. */
  public static CaptchaConfig from(JsonObject config) {
    JsonObject c = config.getJsonObject("captcha", new JsonObject());
    String mode = c.getString("mode", "image");
    long ttl = c.getLong("ttlSeconds", DEFAULT_TTL_SECONDS);
    switch (mode) {
      case "image" -> {
        return new CaptchaConfig(false, null, ttl);
      }
      case "fixed" -> {
        if ("prod".equals(config.getString("profile"))) {
          throw new IllegalArgumentException("captcha.mode \"fixed\" is not allowed in prod");
        }
        String answer = c.getString("fixedAnswer");
        return new CaptchaConfig(true, answer == null ? null : answer.trim().toUpperCase(Locale.ROOT), ttl);
      }
      default -> throw new IllegalArgumentException("captcha.mode must be \"image\" or \"fixed\"");
    }
  }
}
