package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.Locale;

/**
 * The {@code captcha.*} settings (SPEC §5).
 *
 * @param fixed        true in {@code "fixed"} mode: every captcha takes {@code fixedAnswer} (never in prod)
 * @param fixedAnswer  the answer in fixed mode, uppercased; null in image mode
 * @param ttlSeconds   how long an unused captcha lives
 * @param poolSize     images this node renders ahead ({@code captcha.poolSize}; 0: render each on demand)
 * @param audioPoolSize spoken captchas this node mixes ahead ({@code captcha.audioPoolSize}; 0: on demand)
 * @param maxRendersInFlight on-demand renders of an empty pool in flight at once ({@code captcha.maxRendersInFlight},
 *                     at least 1)
 */
public record CaptchaConfig(boolean fixed, String fixedAnswer, long ttlSeconds, int poolSize, int audioPoolSize,
    int maxRendersInFlight) {
  private static final String S = "captcha";

  /** The longest answer a captcha takes (a fixed answer included); longer ones are refused unhashed (and still consume the captcha). */
  public static final int MAX_ANSWER_CHARS = 16;

  /**
   * An answer as it is hashed and compared (case-insensitive, surrounding spaces ignored: SPEC §2.1), or
   * null when it cannot be any captcha's (absent, empty, longer than {@link #MAX_ANSWER_CHARS}).
   */
  public static String normalisedAnswer(String answer) {
    if (answer == null) {
      return null;
    }
    String normalised = answer.trim().toUpperCase(Locale.ROOT);
    return normalised.isEmpty() || normalised.length() > MAX_ANSWER_CHARS ? null : normalised;
  }

  /** Beyond this the pool is memory (about 3 KB an image) rather than a buffer for a burst. */
  static final int MAX_POOL_SIZE = 100_000;
  /** A spoken captcha is about 50 KB as a data URL: 10,000 of them are half a gigabyte. */
  static final int MAX_AUDIO_POOL_SIZE = 10_000;

  public CaptchaConfig {
    if (maxRendersInFlight < 1) {
      throw new IllegalArgumentException("captcha.maxRendersInFlight must be positive");
    }
    if (ttlSeconds < 1) {
      throw new IllegalArgumentException("captcha.ttlSeconds must be at least 1");
    }
    if (poolSize < 0 || poolSize > MAX_POOL_SIZE) {
      throw new IllegalArgumentException("captcha.poolSize must be 0 to " + MAX_POOL_SIZE);
    }
    if (audioPoolSize < 0 || audioPoolSize > MAX_AUDIO_POOL_SIZE) {
      throw new IllegalArgumentException("captcha.audioPoolSize must be 0 to " + MAX_AUDIO_POOL_SIZE);
    }
    if (fixed && (fixedAnswer == null || fixedAnswer.isBlank() || fixedAnswer.length() > MAX_ANSWER_CHARS)) {
      throw new IllegalArgumentException("captcha.fixedAnswer must be 1 to " + MAX_ANSWER_CHARS
          + " characters in \"fixed\" mode");
    }
  }

  /** Never shows the fixed answer: it is a captcha answer, and answers stay out of logs. */
  @Override
  public String toString() {
    return "CaptchaConfig[mode=" + (fixed ? "fixed" : "image") + ", ttlSeconds=" + ttlSeconds + ", poolSize=" + poolSize
        + ", audioPoolSize=" + audioPoolSize + ", maxRendersInFlight=" + maxRendersInFlight + "]";
  }

  /** Reads {@code captcha.*} from the whole configuration; refuses "fixed" mode in the prod profile. */
  public static CaptchaConfig from(JsonObject config) {
    JsonObject c = ConfigValues.section(config, S);
    String mode = ConfigValues.text(c, S, "mode", "image");
    long ttl = ConfigValues.positive(c, S, "ttlSeconds", 120);
    int pool = ConfigValues.intAtLeast(c, S, "poolSize", 0, 2000);
    int audioPool = ConfigValues.intAtLeast(c, S, "audioPoolSize", 0, 100);
    int maxRenders = ConfigValues.intAtLeast(c, S, "maxRendersInFlight", 1, 16);
    String answer = ConfigValues.text(c, S, "fixedAnswer", "YZT8");
    switch (mode) {
      case "image" -> {
        return new CaptchaConfig(false, null, ttl, pool, audioPool, maxRenders);
      }
      case "fixed" -> {
        if ("prod".equals(config.getString("profile"))) {
          throw new IllegalArgumentException("captcha.mode \"fixed\" is not allowed in prod");
        }
        return new CaptchaConfig(true, answer == null ? null : answer.trim().toUpperCase(Locale.ROOT), ttl, pool,
            audioPool, maxRenders);
      }
      default -> throw new IllegalArgumentException("captcha.mode must be \"image\" or \"fixed\"");
    }
  }
}
