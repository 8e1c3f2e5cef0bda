package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdsTest {
  @Test
  void idsNoncesAndIvsNeverRepeatAcrossManyBlocks() {
    Set<String> seen = new HashSet<>();
    // sizes that do not divide the block, so slices straddle block boundaries
    for (int i = 0; i < 5_000; i++) {
      String id = Ids.random128();
      assertEquals(22, id.length());
      assertTrue(Ids.looksLikeId(id), id);
      assertTrue(seen.add(id), "an id repeated after " + i);
      String nonce = Ids.hex(16);
      assertEquals(32, nonce.length());
      assertTrue(nonce.matches("[0-9a-f]{32}"), nonce);
      assertTrue(seen.add(nonce), "a nonce repeated after " + i);
      byte[] iv = new byte[12];
      Ids.fill(iv);
      assertTrue(seen.add(HexFormat.of().formatHex(iv)), "an IV repeated after " + i);
    }
  }

  @Test
  void aFillLongerThanABlockIsRandomThroughout() {
    byte[] big = new byte[Ids.BLOCK_BYTES * 3 + 7];
    Ids.fill(big);
    // no stretch of 64 zero bytes anywhere (a slice left unfilled would be zeros)
    int zeros = 0;
    for (byte b : big) {
      zeros = b == 0 ? zeros + 1 : 0;
      assertTrue(zeros < 64, "unfilled bytes");
    }
    // the next slice differs from the last one: the block was drawn again, not reused
    byte[] a = new byte[Ids.BLOCK_BYTES];
    byte[] b = new byte[Ids.BLOCK_BYTES];
    Ids.fill(a);
    Ids.fill(b);
    assertTrue(!Arrays.equals(a, b), "the same block twice");
  }

  /** Only our own shapes pass as ids: anything else is refused before a look-up (and never reaches a key name). */
  @Test
  void idsOfOtherShapesAreRefused() {
    String ok = "AZaz09-_AZaz09-_AZaz09";
    assertTrue(Ids.looksLikeId(ok));
    assertFalse(Ids.looksLikeId(null));
    assertFalse(Ids.looksLikeId(ok.substring(1)));
    assertFalse(Ids.looksLikeId(ok + "A"));
    // the neighbours of each allowed range, and what a standard (not URL-safe) base64 or a path would bring
    for (char c : "@[`{/:+= .\u00e9*".toCharArray()) {
      String bad = c + ok.substring(1);
      assertFalse(Ids.looksLikeId(bad), bad);
      assertFalse(Ids.looksLikeCaptchaId(bad), bad);
      assertFalse(Ids.looksLikeQueryId(bad), bad);
    }
  }

  /** A captcha id is 25 characters (or 22, of the version before); a query id 24 (or 22, before sharding). */
  @Test
  void captchaAndQueryIdsHaveTheirOwnLengths() {
    String s = "abcdefghijklmnopqrstuvwxyz-_";
    for (int n = 0; n <= s.length(); n++) {
      String id = s.substring(0, n);
      assertEquals(n == 22 || n == 25, Ids.looksLikeCaptchaId(id), id);
      assertEquals(n == 22 || n == 24, Ids.looksLikeQueryId(id), id);
      assertEquals(n == 22, Ids.looksLikeId(id), id);
    }
    assertFalse(Ids.looksLikeCaptchaId(null));
    assertFalse(Ids.looksLikeQueryId(null));
  }

  /** X-Request-Id is always 16 hex digits, a value with leading zero digits included (one in sixteen). */
  @Test
  void requestIdsAreSixteenHexDigits() {
    boolean leadingZero = false;
    for (int i = 0; i < 2_000; i++) {
      String id = Ids.requestId();
      assertTrue(id.matches("[0-9a-f]{16}"), id);
      leadingZero |= id.charAt(0) == '0';
    }
    assertTrue(leadingZero, "2000 ids and none starting with 0");
  }

  /** One generator per thread, the same on every call of that thread (never shared between event loops). */
  @Test
  void eachThreadHasItsOwnGenerator() throws Exception {
    SecureRandom mine = Ids.random();
    assertSame(mine, Ids.random());
    SecureRandom[] other = new SecureRandom[1];
    Thread t = new Thread(() -> other[0] = Ids.random());
    t.start();
    t.join();
    assertNotNull(other[0]);
    assertNotSame(mine, other[0]);
    byte[] a = new byte[16];
    mine.nextBytes(a);
    assertFalse(Arrays.equals(new byte[16], a));
  }
}
