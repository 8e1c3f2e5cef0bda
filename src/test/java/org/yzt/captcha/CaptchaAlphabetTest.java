package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** SPEC §2.1: answers are 4 characters from the digits and capitals without look-alikes (no 0/O, 1/I/L). */
class CaptchaAlphabetTest {
  private static Set<Character> specAlphabet() {
    Set<Character> out = new TreeSet<>();
    for (char c = '0'; c <= '9'; c++) {
      out.add(c);
    }
    for (char c = 'A'; c <= 'Z'; c++) {
      out.add(c);
    }
    for (char c : "0O1IL".toCharArray()) {
      out.remove(c);
    }
    return out;
  }

  @Test
  void theAnswersRenderedUseExactlyTheSpecAlphabet() {
    Set<Character> used = new TreeSet<>();
    for (int i = 0; i < 5_000; i++) {
      String answer = CaptchaImage.randomAnswer();
      assertEquals(4, answer.length());
      assertTrue(CaptchaImage.canRender(answer));
      for (char c : answer.toCharArray()) {
        used.add(c);
      }
    }
    assertEquals(specAlphabet(), used);
  }

  @Test
  void everyCharacterOfTheAlphabetHasItsOwnGlyph() {
    Set<Character> glyphs = new TreeSet<>();
    for (char c : Glyphs.characters().toCharArray()) {
      glyphs.add(c);
    }
    assertEquals(specAlphabet(), glyphs, "a glyph for each character and none for a look-alike");
  }
}
