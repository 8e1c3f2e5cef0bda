package org.yzt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Ids from the secure bytes drawn ahead: every id new, every byte given out once, across refills. */
class IdsTest {
  @Test
  void idsStayUniqueAcrossManyRefillsOfTheBuffer() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 20_000; i++) { // 16 bytes each: over 300 refills of the 1-KB buffer
      String id = Ids.random128();
      assertTrue(Ids.looksLikeId(id), id);
      assertTrue(seen.add(id), "an id came twice");
    }
  }

  @Test
  void drawsOfAnySizeAreFilledAndNotRepeated() {
    byte[] small = new byte[12];
    byte[] big = new byte[5000]; // larger than the buffer: straight from the generator
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      Ids.secureBytes(small);
      assertTrue(seen.add(HexFormat.of().formatHex(small)));
    }
    Ids.secureBytes(big);
    int zeros = 0;
    for (byte b : big) {
      zeros += b == 0 ? 1 : 0;
    }
    assertTrue(zeros < 100, "about 20 of 5000 random bytes are 0, not " + zeros);
    assertEquals(200, seen.size());
  }
}
