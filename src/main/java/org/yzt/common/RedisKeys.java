package org.yzt.common;

/**
 * Every Redis key name, in one place. Numbers and IPs appear only as keyed-HMAC tokens
 * ({@link PersonalData#keyToken}), never in clear.
 */
public final class RedisKeys {
  public static final String JOB_STREAM = "yzt:jobs";
  public static final String JOB_GROUP = "pipeline";
  public static final String DEAD_LETTER_STREAM = "yzt:jobs:dead";

  private final PersonalData pd;

  public RedisKeys(PersonalData pd) {
    this.pd = pd;
  }

  public String phoneToken(String phone) {
    return pd.keyToken("phone:" + phone);
  }

  public String captcha(String captchaId) {
    return "yzt:cap:" + captchaId;
  }

  public String rateLimit(String bucket, String clientIp) {
    // "rl2": the ring of lua/lib/sliding_window.lua; nodes still running the sorted-set limiter keep
    // their "rl" keys during a rolling upgrade instead of meeting a value of the other type
    return "yzt:rl2:" + bucket + ":" + pd.keyToken("ip:" + clientIp);
  }

  public String smsCode(String phoneToken) {
    return "yzt:code:" + phoneToken;
  }

  public String smsCooldown(String phoneToken) {
    return "yzt:cool:" + phoneToken;
  }

  public String smsDaily(String phoneToken) {
    return "yzt:daily:" + phoneToken;
  }

  public String queryWindow(String phoneToken) {
    return "yzt:win:" + phoneToken;
  }

  public String job(String queryId) {
    return "yzt:job:" + queryId;
  }

  public String idempotency(String key) {
    return "yzt:idem:" + pd.keyToken("idem:" + key);
  }
}
