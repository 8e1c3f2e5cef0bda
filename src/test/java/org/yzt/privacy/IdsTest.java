package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
