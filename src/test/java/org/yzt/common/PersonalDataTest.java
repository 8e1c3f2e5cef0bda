package org.yzt.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §9: sealed values bound to their job and named by key version; keyed body hashes. */
class PersonalDataTest {
  static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
  static final String K2 = Base64.getEncoder().encodeToString("another-thirty-two-byte-data-key".getBytes());
  static final JsonObject DATA = new JsonObject().put("phone", "13800138000").put("idLast6", "12345X");

  @Test
  void aSealedValueOpensOnlyForItsOwnJob() {
    PersonalData pd = new PersonalData(K1);
    String sealed = pd.encrypt("job-a", DATA);
    assertEquals(DATA, pd.decrypt("job-a", sealed));
    IllegalStateException moved = assertThrows(IllegalStateException.class, () -> pd.decrypt("job-b", sealed));
    assertEquals("decryption failed", moved.getMessage(), "no hint at the data");
  }

  @Test
  void valuesCarryTheKeyVersionAndPreviousKeysStillOpenThem() {
    PersonalData before = new PersonalData(K1);
    PersonalData rotated = new PersonalData(K2, List.of(K1));
    String old = before.encrypt("job", DATA);
    assertTrue(old.startsWith(before.keyVersion() + ":"), old);
    assertNotEquals(before.keyVersion(), rotated.keyVersion());
    assertEquals(DATA, rotated.decrypt("job", old), "a previous key opens what it sealed");
    String fresh = rotated.encrypt("job", DATA);
    assertTrue(fresh.startsWith(rotated.keyVersion() + ":"), "the current key seals");
    assertThrows(IllegalStateException.class, () -> new PersonalData(K2).decrypt("job", old),
        "without the previous key the old value does not open");
    assertThrows(IllegalStateException.class, () -> before.decrypt("job", fresh));
  }

  @Test
  void theBodyHashIsKeyed() {
    String digest = PersonalData.sha256Hex("{\"phone\":\"13800138000\"}".getBytes());
    PersonalData a = new PersonalData(K1);
    assertEquals(a.bodyHash(digest), new PersonalData(K1).bodyHash(digest), "stable for one key");
    assertNotEquals(a.bodyHash(digest), new PersonalData(K2).bodyHash(digest), "another key, another hash");
    assertTrue(!a.bodyHash(digest).contains(digest) && a.bodyHash(digest).length() < digest.length());
  }
}
