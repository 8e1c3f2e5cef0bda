package org.yzt.store;

import org.yzt.privacy.Ids;
import org.yzt.privacy.PersonalData;
import java.util.ArrayList;
import java.util.List;
import org.yzt.contract.QueryKind;

/**
 * Every Redis key name, in one place, in one layout for standalone, Sentinel and Cluster (SPEC §11).
 * Numbers and IPs appear only as keyed-HMAC tokens ({@link PersonalData#keyToken}), never in clear.
 *
 * <p>The keys of one number carry the hash tag of its {@link Shard} (one of {@code pipeline.streamShards},
 * chosen by its token), as do the job record and the stream entry of its queries, so the number's
 * atomic step is one script in one slot. A query id names its shard ({@link #queryId}), so a status
 * look-up finds the record. A client address's keys share the tag of its own token; a number block's
 * budget log and the part of the global budget it draws on share a shard's tag. No script touches
 * keys of two slots, except the budget script on standalone and Sentinel, where the global budget is
 * one key (exact) rather than one part per shard.
 */
public final class RedisKeys {
  /** The consumer group of every job stream. */
  public static final String JOB_GROUP = "pipeline";
  /** The shard count that the jobs in Redis were written under (a number), set by the first pipeline node. */
  public static final String SHARD_COUNT = "yzt:jobs:shards";
  /** The length of a captcha id of {@link #captchaId} (one that names its key's slot). */
  public static final int CAPTCHA_ID_LENGTH = 25;

  private final PersonalData pd;
  private final Shard[] shards;

  public RedisKeys(PersonalData pd, int shardCount) {
    this.pd = pd;
    String[] tags = HashSlots.shardTags(shardCount);
    this.shards = new Shard[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new Shard(i, tags[i]);
    }
  }

  /** Every shard, and the layout before sharding first when {@code withLegacy}. */
  public List<Shard> shards(boolean withLegacy) {
    List<Shard> all = new ArrayList<>(shards.length + 1);
    if (withLegacy) {
      all.add(Shard.LEGACY);
    }
    all.addAll(List.of(shards));
    return all;
  }

  public int shardCount() {
    return shards.length;
  }

  public Shard shard(int index) {
    return shards[index];
  }

  /** The shard of a keyed token (a number's, a block's): a stable function of the token. */
  public Shard shardOf(String token) {
    return shards[Math.floorMod(token.hashCode(), shards.length)];
  }

  public String phoneToken(String phone) {
    return pd.keyToken("phone:" + phone);
  }

  /** The shard of a number's keys and of its queries' jobs. */
  public Shard shardOfPhone(String phoneToken) {
    return shardOf(phoneToken);
  }

  /**
   * A new captcha id: 128 random bits (22 characters), then in three characters the hash slot of the
   * per-IP logs of {@code clientToken} (a random slot when null), which its key ({@link #captcha}) carries,
   * so that on a Redis Cluster the captcha and its client's limits are one script: stored with the limits
   * of {@code POST /api/v1/captcha}, consumed with those of {@code POST /api/v1/sms-codes} (SPEC §11).
   */
  public static String captchaId(String clientToken) {
    int slot = clientToken == null ? Ids.random().nextInt(HashSlots.SLOTS) : clientSlot(clientToken);
    return Ids.random128() + ALPHABET.charAt(slot >> 12) + ALPHABET.charAt((slot >> 6) & 63) + ALPHABET.charAt(slot & 63);
  }

  /** The hash slot of every per-IP log of {@code clientToken} ({@link #rateLimitOf}). */
  public static int clientSlot(String clientToken) {
    return HashSlots.slot("{" + clientToken + "}");
  }

  /**
   * The key of a captcha: in the slot its 25-character id names ({@link #captchaId}, a Cluster's); a
   * 22-character id (standalone and Sentinel, and a Cluster's before this version) is untagged, in a random
   * slot: on a Cluster such a captcha is checked in a step of its own.
   */
  public String captcha(String captchaId) {
    int slot = captchaSlot(captchaId);
    return slot < 0 ? "yzt:cap:" + captchaId : "yzt:cap:" + HashSlots.slotTag(slot) + ":" + captchaId;
  }

  /** The hash slot a captcha id of {@link #captchaId} names (its key's), or -1 when it names none. */
  public static int captchaSlot(String captchaId) {
    if (captchaId.length() != CAPTCHA_ID_LENGTH) {
      return -1;
    }
    int hi = ALPHABET.indexOf(captchaId.charAt(22));
    int mid = ALPHABET.indexOf(captchaId.charAt(23));
    int lo = ALPHABET.indexOf(captchaId.charAt(24));
    int slot = (hi << 12) | (mid << 6) | lo;
    return hi < 0 || mid < 0 || lo < 0 || slot >= HashSlots.SLOTS ? -1 : slot;
  }

  /** The keyed token of a client address, for the key names below that take one (one HMAC for several keys). */
  public String clientToken(String clientIp) {
    return pd.keyToken("ip:" + clientIp);
  }

  public String rateLimit(String bucket, String clientIp) {
    return rateLimitOf(bucket, clientToken(clientIp));
  }

  /**
   * A per-IP hit log of lua/lib/hit_log.lua for {@code limits.perIp.<bucket>}. Every bucket of one
   * address shares the tag of its token, so the submission's per-IP step reads two of them in one
   * script. "rl5": "rl4" before the keys had tags; nodes of that version keep their own during a
   * rolling upgrade, so the limits count afresh for one window then.
   */
  public String rateLimitOf(String bucket, String clientToken) {
    return "yzt:rl5:{" + clientToken + "}:" + bucket;
  }

  /** The {@code POST /api/v1/queries} hits of one client address ({@code limits.perIp.queries}). */
  public String queryHitsOf(String clientToken) {
    return rateLimitOf("queries", clientToken);
  }

  /** Wrong or expired codes submitted from one client address ({@code limits.perIp.codeFailures}). */
  public String codeFailuresOf(String clientToken) {
    return rateLimitOf("codeFailures", clientToken);
  }

  public String smsCode(String phoneToken) {
    return shardOf(phoneToken).of("code", phoneToken);
  }

  public String smsCooldown(String phoneToken) {
    return shardOf(phoneToken).of("cool", phoneToken);
  }

  /** Code texts to one number in the last day: a hit log of lua/lib/hit_log.lua. */
  public String smsDaily(String phoneToken) {
    return shardOf(phoneToken).of("daily", phoneToken);
  }

  public String queryWindow(String phoneToken) {
    return shardOf(phoneToken).of("win", phoneToken);
  }

  /** A number's phone-card query window (SPEC §13), apart from its internet-account window, in its shard. */
  public String cardWindow(String phoneToken) {
    return shardOf(phoneToken).of("cwin", phoneToken);
  }

  /** The query window of a number for a query of {@code kind}: the one a code of that purpose checks. */
  public String queryWindow(QueryKind kind, String phoneToken) {
    return kind == QueryKind.CARDS ? cardWindow(phoneToken) : queryWindow(phoneToken);
  }

  /**
   * An ID number's phone-card query window (SPEC §13: one per ID number, whatever phone asks), named by
   * a keyed token of the number, never the number (nor any part of it). The token is its own hash tag:
   * one slot, apart from the phone number's shard, so the same layout on every deployment reserves it in a
   * round trip of its own before the number's step (SPEC §13; lua/card_id_reserve.lua).
   */
  public String cardIdWindow(String idNumber) {
    return "yzt:cwid:{" + pd.keyToken("idnumber:" + idNumber) + "}";
  }

  /** The keyed token of a number's 7-digit block (prefix and HLR block). */
  public String blockToken(String phone) {
    return pd.keyToken("block:" + phone.substring(0, 7));
  }

  /**
   * Code texts to a 7-digit block in the {@code limits.smsBudget.perBlock} window: a hit log, in the
   * slot of the block's shard (with the global budget's part it draws on, {@link #smsBudgetGlobal}).
   */
  public String smsBudgetBlock(String blockToken) {
    return shardOf(blockToken).of("blk", blockToken);
  }

  /**
   * The part of the global send budget (a sorted set of code texts) that a block draws on: with one
   * part (standalone, Sentinel) the one exact count; with a part per shard (Cluster) the part in the
   * block's shard, each allowed its share of {@code max} (SPEC §11's overshoot bound).
   */
  public String smsBudgetGlobal(String blockToken, int parts) {
    return globalBudgetPart(parts <= 1 ? 0 : Math.floorMod(shardOf(blockToken).index(), parts));
  }

  /** Part {@code part} of the global send budget (part 0 is the whole budget on standalone and Sentinel). */
  public String globalBudgetPart(int part) {
    return shards[part].key("yzt:budget:glob");
  }

  /**
   * A query's id: 128 random bits (22 characters) then its shard's number in two characters of the same
   * URL-safe alphabet, so a status look-up finds its record; a 22-character id is of the layout before
   * sharding.
   */
  public static String queryId(Shard shard) {
    int i = shard.index();
    return Ids.random128() + ALPHABET.charAt(i >> 6) + ALPHABET.charAt(i & 63);
  }

  /** The record of a query, by its id (null when the id names no shard of this deployment). */
  public String job(String queryId) {
    Shard s = shardOfQuery(queryId);
    return s == null ? null : s.job(queryId);
  }

  /** The shard a query id names: {@link Shard#LEGACY} for a 22-character id, null when it names none of ours. */
  public Shard shardOfQuery(String queryId) {
    if (queryId.length() == 22) {
      return Shard.LEGACY;
    }
    if (queryId.length() != 24) {
      return null;
    }
    int hi = ALPHABET.indexOf(queryId.charAt(22));
    int lo = ALPHABET.indexOf(queryId.charAt(23));
    int i = hi * 64 + lo;
    return hi < 0 || lo < 0 || i >= shards.length ? null : shards[i];
  }

  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

  /**
   * The idempotency record looked up before anything else (its own slot): written once the query is
   * accepted. Same name and fields as before sharding, so records of the previous version still answer.
   */
  public String idempotency(String key) {
    return "yzt:idem:" + pd.keyToken("idem:" + key);
  }

  /** The idempotency record of {@code key} on the route of {@code kind}: a key is per route (SPEC §13). */
  public String idempotency(QueryKind kind, String key) {
    return kind == QueryKind.CARDS ? "yzt:idem:" + pd.keyToken("idem:cards:" + key) : idempotency(key);
  }

  /** The number's own copy of the idempotency record, written by its atomic step (in its slot). */
  public String idempotencyIn(Shard shard, String key) {
    return shard.of("idem", pd.keyToken("idem:" + key));
  }

  /** {@link #idempotencyIn(Shard, String)} on the route of {@code kind} (keys are per route, SPEC §13). */
  public String idempotencyIn(QueryKind kind, Shard shard, String key) {
    return kind == QueryKind.CARDS ? shard.of("idem", pd.keyToken("idem:cards:" + key)) : idempotencyIn(shard, key);
  }
}
