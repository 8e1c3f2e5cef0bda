package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How every {@code *Config} record reads a value (no Vert.x, no file): the bounds are inclusive, a
 * {@code YZT_*} override arrives as text and reads like the number or flag it spells, a value out of
 * range or of the wrong kind is refused with a reason naming its key, and a missing one takes the
 * record's default.
 */
class ConfigValuesTest {
  private static final JsonObject EMPTY = new JsonObject();
  private Set<String> readBefore;

  // the made-up keys read here must not count as keys the service reads (ConfigDefaultsTest)
  @BeforeEach
  void rememberReadKeys() {
    readBefore = Set.copyOf(ConfigValues.READ);
  }

  @AfterEach
  void forgetMadeUpKeys() {
    ConfigValues.READ.retainAll(readBefore);
  }

  static String refusal(Runnable read) {
    return assertThrows(IllegalArgumentException.class, read::run).getMessage();
  }

  private static JsonObject one(String key, Object value) {
    return new JsonObject().put(key, value);
  }

  @Test
  void aWholeNumberIsTakenAtItsLeastAndRefusedBelowIt() {
    assertEquals(5, ConfigValues.atLeast(one("n", 5), "s", "n", 5, 9));
    assertEquals("s.n must be at least 5", refusal(() -> ConfigValues.atLeast(one("n", 4), "s", "n", 5, 9)));
    assertEquals(1, ConfigValues.positive(one("n", 1), "s", "n", 9));
    assertEquals("s.n must be positive", refusal(() -> ConfigValues.positive(one("n", 0), "s", "n", 9)));
    assertEquals(0, ConfigValues.atLeast(one("n", 0), "s", "n", 0, 9));
    assertEquals("s.n must be at least 0", refusal(() -> ConfigValues.atLeast(one("n", -1), "s", "n", 0, 9)));
    assertEquals(-1, ConfigValues.atLeast(one("n", -1), "s", "n", -1, 9));
  }

  @Test
  void aNumberGivenAsTextReadsAsTheNumberAndOtherTextIsRefused() {
    assertEquals(42, ConfigValues.atLeast(one("n", " 42 "), "s", "n", 0, 9));
    assertEquals(8_000_000_000L, ConfigValues.atLeast(one("n", "8000000000"), "s", "n", 0, 9));
    assertEquals("s.n is not a number", refusal(() -> ConfigValues.atLeast(one("n", "4x"), "s", "n", 0, 9)));
    assertEquals("s.n must be positive", refusal(() -> ConfigValues.positive(one("n", "0"), "s", "n", 9)));
    assertEquals(9, ConfigValues.atLeast(one("n", "  "), "s", "n", 0, 9), "an empty override leaves the default");
    assertEquals(9, ConfigValues.atLeast(EMPTY, "s", "n", 0, 9));
  }

  @Test
  void anIntMayBeAsLargeAsAnIntAndNoLarger() {
    assertEquals(Integer.MAX_VALUE, ConfigValues.intAtLeast(one("n", Integer.MAX_VALUE), "s", "n", 1, 9));
    assertEquals("s.n is too large",
        refusal(() -> ConfigValues.intAtLeast(one("n", Integer.MAX_VALUE + 1L), "s", "n", 1, 9)));
    assertEquals(7, ConfigValues.intAtLeast(EMPTY, "s", "n", 1, 7));
  }

  @Test
  void aRequiredNumberMustBeGivenAndInRange() {
    assertEquals("s.n is missing", refusal(() -> ConfigValues.required(EMPTY, "s", "n", 1)));
    assertEquals("s.n must be positive", refusal(() -> ConfigValues.required(one("n", 0), "s", "n", 1)));
    assertEquals(3, ConfigValues.required(one("n", "3"), "s", "n", 1));
  }

  @Test
  void aFractionIsFromZeroToOneInclusive() {
    assertEquals(0.0, ConfigValues.fraction(one("f", 0), "s", "f", 0.5));
    assertEquals(1.0, ConfigValues.fraction(one("f", 1), "s", "f", 0.5));
    assertEquals(0.25, ConfigValues.fraction(one("f", " 0.25 "), "s", "f", 0.5));
    assertEquals(0.5, ConfigValues.fraction(EMPTY, "s", "f", 0.5));
    assertEquals(0.5, ConfigValues.fraction(one("f", ""), "s", "f", 0.5));
    for (Object out : List.of(-0.001, 1.001, "NaN", "-1")) {
      assertEquals("s.f must be from 0 to 1", refusal(() -> ConfigValues.fraction(one("f", out), "s", "f", 0.5)), "" + out);
    }
    assertEquals("s.f is not a number", refusal(() -> ConfigValues.fraction(one("f", "half"), "s", "f", 0.5)));
  }

  @Test
  void aFlagIsABooleanOrItsTextAndNothingElse() {
    assertEquals(true, ConfigValues.flag(one("b", true), "s", "b", false));
    assertEquals(false, ConfigValues.flag(one("b", false), "s", "b", true));
    assertEquals(true, ConfigValues.flag(one("b", " true "), "s", "b", false));
    assertEquals(false, ConfigValues.flag(one("b", "false"), "s", "b", true));
    assertEquals(true, ConfigValues.flag(EMPTY, "s", "b", true));
    assertEquals(false, ConfigValues.flag(one("b", " "), "s", "b", false));
    assertEquals("s.b must be true or false", refusal(() -> ConfigValues.flag(one("b", "yes"), "s", "b", false)));
  }

  @Test
  void aValueOfTheWrongJsonKindIsRefusedNamingTheKeyNotReadAsTheDefault() {
    assertEquals("s.n is not a number", refusal(() -> ConfigValues.atLeast(one("n", true), "s", "n", 0, 9)));
    assertEquals("s.n is not a number", refusal(() -> ConfigValues.intAtLeast(one("n", new JsonObject()), "s", "n", 0, 9)));
    assertEquals("s.f is not a number", refusal(() -> ConfigValues.fraction(one("f", new io.vertx.core.json.JsonArray().add(1)), "s", "f", 0.5)));
    assertEquals("s.b must be true or false", refusal(() -> ConfigValues.flag(one("b", 0), "s", "b", false)));
  }

  @Test
  void textIsAStringOrTheDefault() {
    assertEquals("x", ConfigValues.text(one("t", "x"), "s", "t", "d"));
    assertEquals("", ConfigValues.text(one("t", ""), "s", "t", "d"), "an empty text is a value, not a gap");
    assertEquals("d", ConfigValues.text(EMPTY, "s", "t", "d"));
    assertEquals("s.t must be a string", refusal(() -> ConfigValues.text(one("t", 5), "s", "t", "d")));
  }

  @Test
  void aListOfTextsTakesNumbersAsTextAndRefusesAnythingButAnArray() {
    assertEquals(List.of("a", "5"), ConfigValues.texts(one("l", new JsonArray().add("a").add(5)), "s", "l"));
    assertEquals(List.of(), ConfigValues.texts(EMPTY, "s", "l"));
    assertEquals("s.l must be an array", refusal(() -> ConfigValues.texts(one("l", "a"), "s", "l")));
    List<String> read = ConfigValues.texts(one("l", new JsonArray().add("a")), "s", "l");
    assertThrows(UnsupportedOperationException.class, () -> read.add("b"), "the record's list cannot change under it");
  }

  @Test
  void entriesAreObjectsOfAnArray() {
    JsonObject a = new JsonObject().put("id", "a");
    assertEquals(List.of(a), ConfigValues.entries(one("peers", new JsonArray().add(a)), "peers"));
    assertEquals(List.of(), ConfigValues.entries(EMPTY, "peers"));
    assertEquals("peers must be an array", refusal(() -> ConfigValues.entries(one("peers", a), "peers")));
    assertEquals("peers[] must hold objects",
        refusal(() -> ConfigValues.entries(one("peers", new JsonArray().add(a).add("b")), "peers")));
  }

  @Test
  void aSectionIsAnObjectNamedByItsPathWhenItIsNot() {
    JsonObject inner = new JsonObject().put("x", 1);
    assertEquals(inner, ConfigValues.section(one("http", inner), "http"));
    assertEquals(new JsonObject(), ConfigValues.section(EMPTY, "http"));
    assertEquals("http must be an object", refusal(() -> ConfigValues.section(one("http", 1), "http")));
    assertEquals("http.client must be an object", refusal(() -> ConfigValues.section(one("client", "x"), "http", "client")));
  }

  @Test
  void everyKeyReadIsRecordedWithItsSection() {
    ConfigValues.text(EMPTY, "zz.section", "recordedKey", "d");
    ConfigValues.text(EMPTY, "", "zzTopLevelKey", "d");
    assertTrue(ConfigValues.READ.contains("zz.section.recordedKey"), "" + ConfigValues.READ);
    assertTrue(ConfigValues.READ.contains("zzTopLevelKey"), "a top-level key is recorded without a leading dot");
    refusal(() -> ConfigValues.required(EMPTY, "zz.section", "requiredKey", 1));
    assertTrue(ConfigValues.READ.contains("zz.section.requiredKey"), "a missing required key is still recorded");
  }
}
