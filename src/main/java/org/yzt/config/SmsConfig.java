package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code sms} section of the configuration (SPEC §5): the gateway, our credentials for it,
 * and how hard we try. Numbers may arrive as strings from {@code YZT_SMS_*} environment overrides.
 *
 * @param sender               the unified sender number every text goes out from
 * @param baseUrl              the gateway; requests go to {@code baseUrl + "/v1/sms"}
 * @param timeoutMs            the limit on one HTTP attempt (never beyond the delivery deadline)
 * @param defaultDeliverWithinMs the deadline of a request that names none ({@code codeDeliverySeconds})
 * @param maxPoolSize          HTTP/1 connections to the gateway, per process
 * @param maxWaitQueue         requests waiting for a pooled connection before new ones fail (transiently)
 * @param retryInitialMs       the first backoff; it doubles per retry
 * @param retryMaxMs           the backoff cap
 * @param minAttemptMs         the least time worth giving one attempt; no attempt starts with less left
 * @param maxInFlight          deliveries (attempting or waiting to retry) per verticle instance
 */
public record SmsConfig(String sender, String baseUrl, String keyId, String secret, long timeoutMs,
    long defaultDeliverWithinMs, int maxPoolSize, int maxWaitQueue, long retryInitialMs, long retryMaxMs,
    long minAttemptMs, int maxInFlight) {

  /** The longest deadline a caller may ask for: the pipeline's 48 h plus its hour of grace, with room. */
  public static final long MAX_DELIVER_WITHIN_MS = 8L * 24 * 3600 * 1000;

  /** The unified sender (SPEC §1), as conf/config.json has it: also what the conformance probe, which reads no configuration, sends as. */
  public static final String DEFAULT_SENDER = "10699000";

  public static SmsConfig from(JsonObject sms) {
    String baseUrl = ConfigValues.text(sms, "sms", "baseUrl", "http://127.0.0.1:18181/sms");
    while (baseUrl.endsWith("/")) {
      baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    }
    return new SmsConfig(
        ConfigValues.text(sms, "sms", "sender", DEFAULT_SENDER),
        baseUrl,
        ConfigValues.text(sms, "sms", "keyId", ""),
        ConfigValues.text(sms, "sms", "secret", ""),
        ConfigValues.positive(sms, "sms", "timeoutMs", 3000),
        ConfigValues.positive(sms, "sms", "codeDeliverySeconds", 5) * 1000,
        (int) ConfigValues.positive(sms, "sms", "maxPoolSize", 64),
        (int) ConfigValues.positive(sms, "sms", "maxWaitQueue", 4096),
        ConfigValues.positive(sms, "sms", "retryInitialMs", 200),
        ConfigValues.positive(sms, "sms", "retryMaxMs", 60_000),
        ConfigValues.positive(sms, "sms", "minAttemptMs", 100),
        (int) ConfigValues.positive(sms, "sms", "maxInFlight", 50_000));
  }

}
