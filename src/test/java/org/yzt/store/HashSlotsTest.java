package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Redis Cluster's key → slot mapping and the shard tags of the key layout (SPEC §11). */
class HashSlotsTest {
  @Test
  void slotsAreThoseOfRedisCluster() {
    // the CRC16/XMODEM check value of "123456789" (0x31C3), as in the Redis Cluster specification
    assertEquals(0x31C3, HashSlots.slot("123456789"));
    // a tag decides the slot; an empty tag does not count
    assertEquals(HashSlots.slot("user1000"), HashSlots.slot("{user1000}.following"));
    assertEquals(HashSlots.crc16("foo{}{bar}".getBytes()) & 16383, HashSlots.slot("foo{}{bar}"));
  }

  @Test
  void shardTagsAreEvenlySpacedOverTheSlots() {
    for (int count : new int[] {1, 2, 16, 64}) {
      String[] tags = HashSlots.shardTags(count);
      Set<String> distinct = new HashSet<>();
      for (int i = 0; i < count; i++) {
        assertEquals(i * (16384 / count), HashSlots.slot("yzt:jobs:" + tags[i]), count + " shards, shard " + i);
        distinct.add(tags[i]);
      }
      assertEquals(count, distinct.size());
    }
    assertThrows(IllegalArgumentException.class, () -> HashSlots.shardTags(12));
    assertThrows(IllegalArgumentException.class, () -> HashSlots.shardTags(0));
  }

  @Test
  void aQueryIdNamesItsShard() {
    RedisKeys keys = new RedisKeys(null, 16);
    for (int i = 0; i < 16; i++) {
      String id = RedisKeys.queryId(keys.shard(i));
      assertEquals(24, id.length());
      assertEquals(keys.shard(i), keys.shardOfQuery(id));
      assertEquals(keys.shard(i).job(id), keys.job(id));
    }
    assertEquals(Shard.LEGACY, keys.shardOfQuery("abcdefghijklmnopqrstuv"));
    assertEquals("yzt:job:abcdefghijklmnopqrstuv", keys.job("abcdefghijklmnopqrstuv"));
    assertEquals(null, keys.job("abcdefghijklmnopqrstuv-_")); // names shard 4095 of 16
  }

  @Test
  void everySlotHasATag() {
    for (int slot = 0; slot < HashSlots.SLOTS; slot++) {
      assertEquals(slot, HashSlots.slot("yzt:cap:" + HashSlots.slotTag(slot) + ":x"));
    }
  }

  /** A captcha's key is in the slot of the per-IP logs of the client it was issued to (issue 23 item 4). */
  @Test
  void aCaptchaIdNamesItsClientsSlot() {
    RedisKeys keys = new RedisKeys(null, 16);
    for (String token : new String[] {"a", "client-token-1", "Zm9vYmFy", "x".repeat(43)}) {
      String id = RedisKeys.captchaId(token);
      assertEquals(RedisKeys.CAPTCHA_ID_LENGTH, id.length());
      assertEquals(true, org.yzt.privacy.Ids.looksLikeCaptchaId(id), id);
      assertEquals(HashSlots.slot(keys.rateLimitOf("smsCodes", token)), HashSlots.slot(keys.captcha(id)), token);
      assertEquals(RedisKeys.clientSlot(token), HashSlots.slot(keys.captcha(id)), token);
    }
    // no client: some slot, named all the same
    String any = RedisKeys.captchaId(null);
    assertEquals(true, keys.captcha(any).startsWith("yzt:cap:{s"), keys.captcha(any));
    // an id of the version before keeps its key; a 25-character id naming no slot gets an untagged one
    assertEquals("yzt:cap:abcdefghijklmnopqrstuv", keys.captcha("abcdefghijklmnopqrstuv"));
    assertEquals("yzt:cap:abcdefghijklmnopqrstuv___", keys.captcha("abcdefghijklmnopqrstuv___"));
  }

  /** The first '}' after the first '{' closes the tag, even with a '}' before it (Redis Cluster's rule). */
  @Test
  void aClosingBraceBeforeTheTagDoesNotEndIt() {
    assertEquals(HashSlots.slot("user1000"), HashSlots.slot("x}{user1000}"));
    assertEquals(HashSlots.slot("user1000"), HashSlots.slot("}{user1000}}"));
  }

  /**
   * The tags are the same from one version to the next: a deployment's streams, job hashes and captcha keys are
   * named by them, and nodes that found other names would no longer see the work or captchas already in Redis.
   */
  @Test
  void theShardTagsAreTheSameInEveryVersion() {
    assertEquals(List.of("{s7920}"), List.of(HashSlots.shardTags(1)));
    assertEquals(List.of("{s7920}", "{s45693}", "{s115497}", "{s4397}"),
        List.of(HashSlots.shardTags(4)));
    assertEquals("{s7920}", HashSlots.slotTag(0));
    assertEquals("{s385}", HashSlots.slotTag(12182));
    assertEquals("{s9706}", HashSlots.slotTag(16383));
  }

  @Test
  void asManyShardsAsSlotsIsTheMostThereCanBe() {
    String[] tags = HashSlots.shardTags(HashSlots.SLOTS);
    assertEquals(HashSlots.SLOTS, tags.length);
    assertEquals(HashSlots.slotTag(16383), tags[16383]);
    assertThrows(IllegalArgumentException.class, () -> HashSlots.shardTags(2 * HashSlots.SLOTS));
  }
}
