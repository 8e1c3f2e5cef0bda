package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** SPEC §13: letters of any script, the middle dot and single spaces, trimmed, 2–30 characters. */
class PersonNameTest {
  @Test
  void chineseNamesAndNamesWithTheMiddleDot() {
    assertEquals("张三", PersonName.normalize("张三"));
    assertEquals("阿卜杜拉·买买提", PersonName.normalize("阿卜杜拉·买买提"));
    assertEquals("阿卜杜拉·买买提", PersonName.normalize("阿卜杜拉\u30FB买买提"), "katakana middle dot");
    assertEquals("阿卜杜拉·买买提", PersonName.normalize("阿卜杜拉\u2022买买提"), "bullet");
    assertEquals("欧阳娜娜", PersonName.normalize("欧阳娜娜"));
    assertEquals("𠀀𠀁", PersonName.normalize("𠀀𠀁"), "supplementary-plane ideographs");
  }

  @Test
  void namesInOtherScriptsWithSingleSpaces() {
    assertEquals("John Smith", PersonName.normalize("John Smith"));
    assertEquals("John Smith", PersonName.normalize("  John   Smith  "), "trimmed, inner run made one");
    assertEquals("John Smith", PersonName.normalize("\u3000John\u3000\u3000Smith\u3000"), "ideographic spaces");
    assertEquals("José Müller", PersonName.normalize("José Müller"));
    assertEquals("Jose\u0301", PersonName.normalize("Jose\u0301"), "a combining mark");
    assertEquals("Иван Петров", PersonName.normalize("Иван Петров"));
    assertEquals("محمد علي", PersonName.normalize("محمد علي"));
    assertEquals("ᠮᠣᠩᠭᠣᠯ", PersonName.normalize("ᠮᠣᠩᠭᠣᠯ"), "Mongolian script");
    assertNull(PersonName.normalize("བཀྲ་ཤིས"), "the tsheg is punctuation (Po), not a letter or mark");
    assertEquals("བཀྲཤིས", PersonName.normalize("བཀྲཤིས"), "Tibetan letters and vowel signs");
  }

  @Test
  void lengthIsTwoToThirtyCharactersAfterTrimming() {
    assertNull(PersonName.normalize("张"));
    assertNull(PersonName.normalize("  张  "));
    assertEquals("张三", PersonName.normalize(" 张三 "));
    assertEquals("a".repeat(30), PersonName.normalize("a".repeat(30)));
    assertNull(PersonName.normalize("a".repeat(31)));
    assertEquals("a".repeat(30), PersonName.normalize("   " + "a".repeat(30) + "   "));
    assertEquals("𠀀".repeat(30), PersonName.normalize("𠀀".repeat(30)), "30 characters of two chars each");
    assertNull(PersonName.normalize("𠀀".repeat(31)));
    assertEquals("a b", PersonName.normalize("a b"));
    assertEquals("a b", PersonName.normalize("a          b"));
    assertEquals(29 + 1, PersonName.normalize("a".repeat(14) + "  " + "b".repeat(15)).length());
    assertNull(PersonName.normalize(" ".repeat(200) + "张三"), "absurdly long input");
    assertEquals("a b", PersonName.normalize("a" + " ".repeat(118) + "b"), "120 characters of input are still read");
    assertNull(PersonName.normalize("a" + " ".repeat(119) + "b"), "121 are not");
  }

  @Test
  void anythingElseIsRefused() {
    assertNull(PersonName.normalize(null));
    assertNull(PersonName.normalize(""));
    assertNull(PersonName.normalize("   "));
    assertNull(PersonName.normalize("张三1"));
    assertNull(PersonName.normalize("张三."));
    assertNull(PersonName.normalize("张-三"));
    assertNull(PersonName.normalize("张\t三"), "a tab is not a space");
    assertNull(PersonName.normalize("张\n三"));
    assertNull(PersonName.normalize("张三😀"));
    assertNull(PersonName.normalize("<script>"));
    assertNull(PersonName.normalize("··"), "dots without a letter");
    assertNull(PersonName.normalize("· ·"));
  }
}
