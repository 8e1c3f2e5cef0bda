package org.yzt.common;

import org.yzt.contract.QueryKind;

/**
 * Every Redis key name, in one place. Numbers and IPs appear only as keyed-HMAC tokens
 * ({@link PersonalData#keyToken}), never in clear.
 */
public final class RedisKeys {
  public static final String JOB_STREAM = "yzt:jobs";
  public static final String JOB_GROUP = "pipeline";
  public static final String DEAD_LETTER_STREAM = "yzt:jobs:dead";
  /** Set by {@code admin pause-codes} (with a TTL when paused for a while): no code texts while it exists. */
  public static final String CODES_PAUSED = "yzt:codes:paused";
  /** Code texts of the whole service in the {@code limits.smsBudget.global} window. */
  public static final String SMS_BUDGET_GLOBAL = "yzt:budget:global";

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
    return rateLimitOf(bucket, clientToken(clientIp));
  }

  /** The keyed token of a client address, for the key names below that take one (one HMAC for several keys). */
  public String clientToken(String clientIp) {
    return pd.keyToken("ip:" + clientIp);
  }

  /**
   * {@link #rateLimit} for a client's {@link #clientToken}: a hit log of lua/lib/hit_log.lua. "rl4": a
   * header ring under "rl2" and a sorted set under "rl" before, which nodes of those versions keep
   * using during a rolling upgrade instead of meeting a value of the other layout. The "queries"
   * bucket is the submission script's own log ({@link #queryHitsOf}).
   */
  public String rateLimitOf(String bucket, String clientToken) {
    return "yzt:rl4:" + bucket + ":" + clientToken;
  }

  public String smsCode(String phoneToken) {
    return "yzt:code:" + phoneToken;
  }

  public String smsCooldown(String phoneToken) {
    return "yzt:cool:" + phoneToken;
  }

  /**
   * Code texts to the number's 7-digit block (prefix and HLR block) in the {@code limits.smsBudget.perBlock}
   * window: a hit log of lua/lib/hit_log.lua. "blk2": a sorted set under "blk" before, which nodes of
   * that version keep using during a rolling upgrade instead of meeting a value of the other type.
   */
  public String smsBudgetBlock(String phone) {
    return "yzt:budget:blk2:" + pd.keyToken("block:" + phone.substring(0, 7));
  }

  /**
   * The {@code POST /api/v1/queries} hits of one client address ({@code limits.perIp.queries}), by its
   * {@link #clientToken}: a hit log of lua/lib/hit_log.lua, the same key as {@link #rateLimitOf} the
   * "queries" bucket. "rl4": it was a header ring under "rl2", so that nodes of the previous version
   * keep their own keys during a rolling upgrade instead of reading a value of the other layout.
   */
  public String queryHitsOf(String clientToken) {
    return rateLimitOf("queries", clientToken);
  }

  /**
   * Wrong or expired codes submitted from one client address ({@code limits.perIp.codeFailures}), by
   * its {@link #clientToken}: a hit log of lua/lib/hit_log.lua. "rl4": a header ring under "rl3" and a
   * sorted set under "rl2" before, which nodes of those versions keep using during a rolling upgrade.
   */
  public String codeFailuresOf(String clientToken) {
    return "yzt:rl4:codeFailures:" + clientToken;
  }

  /** Code texts to one number in the last day: a hit log of lua/lib/hit_log.lua ("daily2": see {@link #smsBudgetBlock}). */
  public String smsDaily(String phoneToken) {
    return "yzt:daily2:" + phoneToken;
  }

  public String queryWindow(String phoneToken) {
    return "yzt:win:" + phoneToken;
  }

  /** A number's phone-card query window (SPEC §13), apart from its internet-account window. */
  public String cardWindow(String phoneToken) {
    return "yzt:cwin:" + phoneToken;
  }

  /** The query window of a number for a query of {@code kind}: the one a code of that purpose checks. */
  public String queryWindow(QueryKind kind, String phoneToken) {
    return kind == QueryKind.CARDS ? cardWindow(phoneToken) : queryWindow(phoneToken);
  }

  /**
   * An ID number's phone-card query window (SPEC §13: one per ID number, whatever phone asks), named by
   * a keyed token of the number, never the number (nor any part of it).
   */
  public String cardIdWindow(String idNumber) {
    return "yzt:cwid:" + pd.keyToken("idnumber:" + idNumber);
  }

  public String job(String queryId) {
    return "yzt:job:" + queryId;
  }

  public String idempotency(String key) {
    return "yzt:idem:" + pd.keyToken("idem:" + key);
  }

  /** The idempotency record of {@code key} on the route of {@code kind}: a key is per route (SPEC §13). */
  public String idempotency(QueryKind kind, String key) {
    return kind == QueryKind.CARDS ? "yzt:idem:" + pd.keyToken("idem:cards:" + key) : idempotency(key);
  }
}
