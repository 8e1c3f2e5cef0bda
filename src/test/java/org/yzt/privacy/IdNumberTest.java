package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.yzt.privacy.IdNumber.Refusal;

/** SPEC §13: 18 characters, the GB 11643 check character, a real birth date not after today (UTC+8). */
class IdNumberTest {
  static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

  /** 17 digits and their check character, computed here the long way (the standard's formula). */
  static String withCheck(String first17) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      int weight = (1 << (17 - i)) % 11; // W_i = 2^(i-1) mod 11, i counted from the right, 1-based
      sum += (first17.charAt(i) - '0') * weight;
    }
    int check = (12 - sum % 11) % 11;
    return first17 + (check == 10 ? "X" : Integer.toString(check));
  }

  static Refusal refusal(String raw) {
    return IdNumber.check(raw, TODAY).refusal();
  }

  @Test
  void theSpecExampleAndItsLowercaseXPass() {
    assertEquals("11010519491231002X", IdNumber.check("11010519491231002X", TODAY).value());
    assertEquals("11010519491231002X", IdNumber.check("11010519491231002x", TODAY).value(), "uppercased");
    assertTrue(IdNumber.check("11010519491231002X", TODAY).valid());
    assertEquals(withCheck("11010519491231002"), "11010519491231002X");
  }

  @Test
  void everyOtherCheckCharacterIsRefused() {
    String good = withCheck("44030619850417231");
    assertTrue(IdNumber.check(good, TODAY).valid(), good);
    for (char c : "0123456789Xx".toCharArray()) {
      String s = good.substring(0, 17) + c;
      boolean same = Character.toUpperCase(c) == good.charAt(17);
      assertEquals(same, IdNumber.check(s, TODAY).valid(), s);
      if (!same) {
        assertEquals(Refusal.MALFORMED, refusal(s));
      }
    }
    assertEquals(Refusal.MALFORMED, refusal(good.substring(0, 17) + "Y"));
  }

  @Test
  void everyCheckCharacterValueIsComputedRight() {
    // first-17 digit strings whose check character is each of 0..9 and X
    java.util.Set<Character> seen = new java.util.HashSet<>();
    for (int seq = 0; seq < 200 && seen.size() < 11; seq++) {
      String id = withCheck("110105199001" + "01" + String.format("%03d", seq));
      seen.add(id.charAt(17));
      assertTrue(IdNumber.check(id, TODAY).valid(), id);
      assertTrue(IdNumber.check(id.toLowerCase(), TODAY).valid(), id);
    }
    assertEquals(11, seen.size(), seen.toString());
  }

  @Test
  void fifteenDigitNumbersAreRefusedAsSuch() {
    assertEquals(Refusal.FIFTEEN_DIGITS, refusal("110105491231002"));
    assertNull(IdNumber.check("110105491231002", TODAY).value());
    assertEquals(Refusal.MALFORMED, refusal("11010549123100X"), "15 characters that are not 15 digits");
    assertEquals(Refusal.MALFORMED, refusal("11010549123100A"));
  }

  @Test
  void otherShapesAreMalformed() {
    String good = withCheck("11010519491231002");
    assertEquals(Refusal.MALFORMED, refusal(null));
    assertEquals(Refusal.MALFORMED, refusal(""));
    assertEquals(Refusal.MALFORMED, refusal(good.substring(0, 17)));
    assertEquals(Refusal.MALFORMED, refusal(good + "0"));
    assertEquals(Refusal.MALFORMED, refusal(" " + good.substring(1)));
    assertEquals(Refusal.MALFORMED, refusal("X" + good.substring(1)));
    assertEquals(Refusal.MALFORMED, refusal(good.substring(0, 16) + "X" + good.charAt(17)), "X only last");
    assertEquals(Refusal.MALFORMED, refusal("１" + good.substring(1)), "a full-width digit is not a digit");
    assertEquals(Refusal.MALFORMED, refusal("11010519491231002/"));
    assertEquals(Refusal.MALFORMED, refusal("11010519491231002:"));
    assertEquals(Refusal.MALFORMED, refusal("1101051949123100:X"));
    assertEquals(Refusal.MALFORMED, refusal("1101051949123100/X"));
  }

  static String bornOn(LocalDate d) {
    return withCheck("110105" + d.format(DateTimeFormatter.BASIC_ISO_DATE) + "123");
  }

  @Test
  void theBirthDateIsARealDateFrom1900ToToday() {
    assertTrue(IdNumber.check(bornOn(LocalDate.of(1900, 1, 1)), TODAY).valid());
    assertFalse(IdNumber.check(bornOn(LocalDate.of(1899, 12, 31)), TODAY).valid());
    assertTrue(IdNumber.check(bornOn(TODAY), TODAY).valid(), "born today");
    assertFalse(IdNumber.check(bornOn(TODAY.plusDays(1)), TODAY).valid(), "born tomorrow");
    assertTrue(IdNumber.check(bornOn(LocalDate.of(2000, 2, 29)), TODAY).valid(), "a leap day");
    for (String date : new String[] {"19990229", "19991301", "19990001", "19990100", "19990431", "00000000"}) {
      String id = withCheck("110105" + date + "123");
      assertEquals(Refusal.MALFORMED, refusal(id), date);
    }
  }

  @Test
  void todayIsTodayInChina() {
    LocalDate china = LocalDate.now(ZoneOffset.ofHours(8));
    assertTrue(IdNumber.check(bornOn(china)).valid(), "born today in China");
    assertFalse(IdNumber.check(bornOn(china.plusDays(1))).valid(), "born tomorrow in China");
  }

  @Test
  void foreignPermanentResidentIdsPassByTheSameRules() {
    // the 2023 layout: 9, a province code, a country code, the birth date, a sequence and the check character
    String id = withCheck("93" + "1" + "156" + "19880516" + "001");
    assertTrue(IdNumber.check(id, TODAY).valid(), id);
    String wrong = id.substring(0, 17) + (id.charAt(17) == '0' ? '1' : '0');
    assertFalse(IdNumber.check(wrong, TODAY).valid());
  }
}
