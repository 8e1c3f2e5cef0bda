package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC §9: sealed values bound to their job and field and named by key version; keyed body hashes. */
class PersonalDataTest {
  static final String K1 = Base64.getEncoder().encodeToString(new byte[32]);
  static final String K2 = Base64.getEncoder().encodeToString("another-thirty-two-byte-data-key".getBytes());
  static final JsonObject DATA = new JsonObject().put("phone", "13800138000").put("idLast6", "12345X");

  @Test
  void aSealedValueOpensOnlyForItsOwnJob() {
    PersonalData pd = new PersonalData(K1);
    String sealed = pd.encrypt("job-a", "pd", DATA);
    assertEquals(DATA, pd.decrypt("job-a", "pd", sealed));
    IllegalStateException moved = assertThrows(IllegalStateException.class, () -> pd.decrypt("job-b", "pd", sealed));
    assertEquals("decryption failed", moved.getMessage(), "no hint at the data");
  }

  @Test
  void aSealedValueOpensOnlyInItsOwnField() {
    PersonalData pd = new PersonalData(K1);
    String answer = pd.encrypt("job-a", "e:tencent", DATA);
    assertEquals(DATA, pd.decrypt("job-a", "e:tencent", answer));
    assertThrows(IllegalStateException.class, () -> pd.decrypt("job-a", "e:alibaba", answer), "swapped between answers");
    assertThrows(IllegalStateException.class, () -> pd.decrypt("job-a", "pd", answer), "moved into the personal data");
    // the job id and the field name cannot be shifted into each other
    String shifted = pd.encrypt("job-", "ae:tencent", DATA);
    assertThrows(IllegalStateException.class, () -> pd.decrypt("job-a", "e:tencent", shifted));
  }

  @Test
  void valuesSealedBeforeFieldsWereBoundStillOpenInAnyFieldOfTheirJob() {
    PersonalData pd = new PersonalData(K1);
    String old = pd.encryptBoundToJobOnly("job-a", DATA);
    String fresh = pd.encrypt("job-a", "pd", DATA);
    assertNotEquals(old.substring(0, old.indexOf(':')), fresh.substring(0, fresh.indexOf(':')),
        "a new key version names the new format");
    assertEquals(DATA, pd.decrypt("job-a", "pd", old));
    assertThrows(IllegalStateException.class, () -> pd.decrypt("job-b", "pd", old), "still bound to its job");
    assertEquals(DATA, new PersonalData(K2, List.of(K1)).decrypt("job-a", "pd", old), "and opened by a previous key");
  }

  @Test
  void valuesCarryTheKeyVersionAndPreviousKeysStillOpenThem() {
    PersonalData before = new PersonalData(K1);
    PersonalData rotated = new PersonalData(K2, List.of(K1));
    String old = before.encrypt("job", "pd", DATA);
    assertTrue(old.startsWith(before.keyVersion() + ":"), old);
    assertNotEquals(before.keyVersion(), rotated.keyVersion());
    assertEquals(DATA, rotated.decrypt("job", "pd", old), "a previous key opens what it sealed");
    String fresh = rotated.encrypt("job", "pd", DATA);
    assertTrue(fresh.startsWith(rotated.keyVersion() + ":"), "the current key seals");
    assertThrows(IllegalStateException.class, () -> new PersonalData(K2).decrypt("job", "pd", old),
        "without the previous key the old value does not open");
    assertThrows(IllegalStateException.class, () -> before.decrypt("job", "pd", fresh));
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
