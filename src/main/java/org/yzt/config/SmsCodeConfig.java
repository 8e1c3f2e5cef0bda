package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code smsCode} section (SPEC §2.2, §5): how long a code lives, the resend cooldown, codes per
 * number per day, and wrong tries per code.
 */
public record SmsCodeConfig(long ttlSeconds, long resendSeconds, int maxPerDay, int maxAttempts) {
  public static SmsCodeConfig from(JsonObject config) {
    JsonObject c = ConfigValues.section(config, "smsCode");
    return new SmsCodeConfig(
        ConfigValues.positive(c, "smsCode", "ttlSeconds", 300),
        ConfigValues.positive(c, "smsCode", "resendSeconds", 60),
        (int) ConfigValues.positive(c, "smsCode", "maxPerDay", 5),
        (int) ConfigValues.positive(c, "smsCode", "maxAttempts", 5));
  }
}
