package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.yzt.privacy.PersonalData;
import org.yzt.store.HashSlots;
import org.yzt.store.RedisKeys;

/**
 * Which front-door steps may share one script on a Redis Cluster (SPEC §11: a script spanning two slots is
 * refused with CROSSSLOT, which a client would see as a failed request): plain, the key names only.
 */
class ClientSlotsTest {
  static final RedisKeys KEYS = new RedisKeys(new PersonalData(Base64.getEncoder().encodeToString(new byte[32])), 16);
  static final ClientSlots SLOTS = new ClientSlots(KEYS, 48);

  static String captchaOf(String client) {
    return RedisKeys.captchaId(KEYS.clientToken(client));
  }

  @Test
  void anIpv4ClientsLimitsAndItsOwnCaptchaAreOneSlot() {
    String client = "203.0.113.7";
    assertTrue(SLOTS.limitsInOneSlot(client));
    assertTrue(SLOTS.captchaWithLimits(client, captchaOf(client)));
  }

  /** An IPv6 client is counted by its /64 and its site's /48, whose logs have another token and so another slot. */
  @Test
  void anIpv6ClientWithASiteIsNeverOneSlot() {
    String client = "2001:db8:1:2::/64";
    assertFalse(SLOTS.limitsInOneSlot(client));
    assertFalse(SLOTS.captchaWithLimits(client, captchaOf(client)));
    // a prefix no longer than the site is its own site: one slot
    assertTrue(new ClientSlots(KEYS, 64).limitsInOneSlot(client));
    assertTrue(new ClientSlots(KEYS, 64).captchaWithLimits(client, captchaOf(client)));
  }

  @Test
  void anotherClientsCaptchaOrAnIdOfAnotherShapeIsNot() {
    String client = "203.0.113.7";
    String other = "198.51.100.23";
    assertNotEquals(RedisKeys.clientSlot(KEYS.clientToken(client)), RedisKeys.clientSlot(KEYS.clientToken(other)));
    assertFalse(SLOTS.captchaWithLimits(client, captchaOf(other)));
    String own = captchaOf(client);
    assertFalse(SLOTS.captchaWithLimits(client, own.substring(0, 24) + "+"), "not URL-safe");
    assertFalse(SLOTS.captchaWithLimits(client, own.substring(0, 22)), "an id of the version before: no slot named");
    assertFalse(SLOTS.captchaWithLimits(client, own + "A"));
  }

  /**
   * A 22-character id of the version before names no slot: even one whose untagged key happens to hash to the
   * client's slot is checked in a step of its own (the id's length decides, not luck).
   */
  @Test
  void anOldCaptchaIdInTheClientsSlotByChanceIsStillNotCombined() {
    String client = "203.0.113.7";
    int slot = RedisKeys.clientSlot(KEYS.clientToken(client));
    String lucky = null;
    for (long n = 0; lucky == null; n++) {
      String id = String.format("%022d", n);
      if (HashSlots.slot(KEYS.captcha(id)) == slot) {
        lucky = id;
      }
    }
    assertFalse(SLOTS.captchaWithLimits(client, lucky), lucky);
  }
}
