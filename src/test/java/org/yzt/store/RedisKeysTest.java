package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yzt.contract.QueryKind;
import org.yzt.privacy.PersonalData;

/**
 * The key layout (SPEC §11), plain: which keys share a slot (one script each on a Redis Cluster), that no number,
 * ID number or address is in a name in clear, and the names nodes of the version before still read.
 */
class RedisKeysTest {
  static final PersonalData PD = new PersonalData(Base64.getEncoder().encodeToString(new byte[32]));
  static final RedisKeys KEYS = new RedisKeys(PD, 16);
  static final String PHONE = "13800138000";

  private static int slot(String key) {
    return HashSlots.slot(key);
  }

  @Test
  void theShardsAreEveryShardWithTheLegacyLayoutFirstWhenAsked() {
    assertEquals(16, KEYS.shardCount());
    List<Shard> all = KEYS.shards(true);
    assertEquals(17, all.size());
    assertEquals(Shard.LEGACY, all.get(0));
    assertEquals(all.subList(1, 17), KEYS.shards(false));
    for (int i = 0; i < 16; i++) {
      assertEquals(i, KEYS.shards(false).get(i).index());
    }
  }

  /** A number's keys, and its idempotency copy, are in its shard's slot: the number's step is one script. */
  @Test
  void aNumbersKeysShareItsShardsSlotAndNameNoDigit() {
    String token = KEYS.phoneToken(PHONE);
    assertEquals(token, KEYS.phoneToken(PHONE), "a stable token");
    assertNotEquals(token, KEYS.phoneToken("13800138001"));
    assertEquals(22, token.length(), token);
    Shard shard = KEYS.shardOfPhone(token);
    assertEquals(KEYS.shardOf(token), shard);
    List<String> keys = List.of(KEYS.smsCode(token), KEYS.smsCooldown(token), KEYS.smsDaily(token),
        KEYS.queryWindow(token), KEYS.cardWindow(token), KEYS.idempotencyIn(shard, "k1"),
        KEYS.idempotencyIn(QueryKind.CARDS, shard, "k1"));
    for (String key : keys) {
      assertEquals(slot(shard.stream()), slot(key), key);
      assertFalse(key.contains("138"), key);
    }
    assertEquals(keys.size(), keys.stream().distinct().count(), keys.toString());
    assertEquals("yzt:code:" + shard.tag() + ":" + token, KEYS.smsCode(token));
    assertEquals("yzt:cool:" + shard.tag() + ":" + token, KEYS.smsCooldown(token));
    assertEquals("yzt:daily:" + shard.tag() + ":" + token, KEYS.smsDaily(token));
    assertEquals("yzt:win:" + shard.tag() + ":" + token, KEYS.queryWindow(token));
    assertEquals("yzt:cwin:" + shard.tag() + ":" + token, KEYS.cardWindow(token));
    assertEquals(KEYS.cardWindow(token), KEYS.queryWindow(QueryKind.CARDS, token));
    assertEquals(KEYS.queryWindow(token), KEYS.queryWindow(QueryKind.ACCOUNTS, token));
  }

  /** A client address's logs share the slot of its token (SPEC §11), and the address is never in them. */
  @Test
  void aClientsLogsShareItsTokensSlot() {
    String ip = "203.0.113.7";
    String token = KEYS.clientToken(ip);
    assertEquals(22, token.length());
    assertNotEquals(KEYS.phoneToken(ip), token, "tokens of one text for two purposes differ");
    List<String> logs = List.of(KEYS.rateLimit("captcha", ip), KEYS.queryHitsOf(token), KEYS.codeFailuresOf(token));
    assertEquals(List.of("yzt:rl5:{" + token + "}:captcha", "yzt:rl5:{" + token + "}:queries",
        "yzt:rl5:{" + token + "}:codeFailures"), logs);
    for (String key : logs) {
      assertEquals(RedisKeys.clientSlot(token), slot(key));
    }
  }

  /** An ID number's card window: its own token as its tag, the number nowhere in the name (SPEC §13). */
  @Test
  void anIdNumbersCardWindowNamesOnlyItsToken() {
    String id = "11010519491231002X";
    String key = KEYS.cardIdWindow(id);
    assertTrue(key.matches("yzt:cwid:\\{[A-Za-z0-9_-]{22}}"), key);
    assertFalse(key.contains("1101"), key);
    assertEquals(key, KEYS.cardIdWindow(id));
    assertNotEquals(key, KEYS.cardIdWindow("110105194912310038"));
  }

  /** A 7-digit block's budget log and the global budget's part it draws on are one slot on a Cluster. */
  @Test
  void aBlocksBudgetAndItsPartOfTheGlobalBudgetShareASlot() {
    String block = KEYS.blockToken(PHONE);
    assertEquals(block, KEYS.blockToken("13800130000"), "one block: 1380013");
    assertNotEquals(block, KEYS.blockToken("13800140000"));
    assertNotEquals(KEYS.phoneToken(PHONE), block);
    String log = KEYS.smsBudgetBlock(block);
    assertEquals("yzt:blk:" + KEYS.shardOf(block).tag() + ":" + block, log);
    // a block whose shard is not 0, so that a part per shard and the one whole budget differ
    String other = block;
    for (int n = 0; KEYS.shardOf(other).index() == 0; n++) {
      other = KEYS.blockToken(String.format("139%04d0000", n));
    }
    for (String b : List.of(block, other)) {
      assertEquals(slot(KEYS.smsBudgetBlock(b)), slot(KEYS.smsBudgetGlobal(b, 16)), b);
      assertEquals("yzt:budget:glob:" + KEYS.shard(0).tag(), KEYS.smsBudgetGlobal(b, 1), "one part: the whole budget");
    }
    assertNotEquals(KEYS.smsBudgetGlobal(other, 1), KEYS.smsBudgetGlobal(other, 16));
    for (int part = 0; part < 16; part++) {
      assertEquals(slot(KEYS.shard(part).stream()), slot(KEYS.globalBudgetPart(part)));
    }
  }

  /** An idempotency key is per route (SPEC §13); the accounts route's name is the one of the version before. */
  @Test
  void idempotencyRecordsArePerRouteAndKeepTheirOldName() {
    String key = KEYS.idempotency("req-1");
    assertEquals("yzt:idem:" + PD.keyToken("idem:req-1"), key);
    assertEquals(key, KEYS.idempotency(QueryKind.ACCOUNTS, "req-1"));
    String cards = KEYS.idempotency(QueryKind.CARDS, "req-1");
    assertTrue(cards.startsWith("yzt:idem:"), cards);
    assertNotEquals(key, cards);
    assertNotEquals(key, KEYS.idempotency("req-2"));
    Shard shard = KEYS.shard(3);
    String in = KEYS.idempotencyIn(shard, "req-1");
    assertEquals("yzt:idem:" + shard.tag() + ":" + PD.keyToken("idem:req-1"), in);
    assertEquals(in, KEYS.idempotencyIn(QueryKind.ACCOUNTS, shard, "req-1"));
    assertNotEquals(in, KEYS.idempotencyIn(QueryKind.CARDS, shard, "req-1"));
    assertEquals(slot(shard.stream()), slot(KEYS.idempotencyIn(QueryKind.CARDS, shard, "req-1")));
  }

  /** A query id naming a shard this deployment does not have finds no record (never another shard's). */
  @Test
  void aQueryIdNamingNoShardOfOursFindsNothing() {
    String random = "abcdefghijklmnopqrstuv";
    assertEquals(KEYS.shard(15), KEYS.shardOfQuery(random + "AP"));
    assertNull(KEYS.shardOfQuery(random + "AQ"), "shard 16 of 16");
    assertNull(KEYS.shardOfQuery(random + "BA"), "shard 64");
    assertEquals(64, new RedisKeys(PD, 128).shardOfQuery(random + "BA").index());
    assertNull(KEYS.shardOfQuery(random + "A"));
    assertNull(KEYS.shardOfQuery(random + "A+"));
  }

  /** A captcha id's last three characters name a slot from 0 to 16383; beyond, the key is untagged. */
  @Test
  void aCaptchaIdNamesSlotsZeroTo16383() {
    String random = "abcdefghijklmnopqrstuv";
    assertEquals("yzt:cap:" + HashSlots.slotTag(0) + ":" + random + "AAA", KEYS.captcha(random + "AAA"));
    assertEquals("yzt:cap:" + HashSlots.slotTag(16383) + ":" + random + "D__", KEYS.captcha(random + "D__"));
    assertEquals("yzt:cap:" + random + "EAA", KEYS.captcha(random + "EAA"), "slot 16384");
  }

  /** The slot an id names is read off it (the gateway routes a code by it): its key's, its client's, or none. */
  @Test
  void aCaptchaIdsSlotIsItsKeysAndItsClientsAndAnOldIdNamesNone() {
    String client = KEYS.clientToken("203.0.113.9");
    String id = RedisKeys.captchaId(client);
    assertEquals(RedisKeys.clientSlot(client), RedisKeys.captchaSlot(id));
    assertEquals(HashSlots.slot(KEYS.captcha(id)), RedisKeys.captchaSlot(id));
    String random = "abcdefghijklmnopqrstuv";
    assertEquals(0, RedisKeys.captchaSlot(random + "AAA"));
    assertEquals(16383, RedisKeys.captchaSlot(random + "D__"));
    assertEquals(-1, RedisKeys.captchaSlot(random + "EAA"), "slot 16384");
    assertEquals(-1, RedisKeys.captchaSlot(random + "A*A"), "a character outside the alphabet");
    assertEquals(-1, RedisKeys.captchaSlot(random), "a 22-character id of the version before");
  }
}
