package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class CaptchaImageTest {
  private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

  @Test
  void alphabetHasNoLookAlikes() {
    assertEquals(31, CaptchaImage.ALPHABET.length());
    for (char c : "0O1IL".toCharArray()) {
      assertFalse(CaptchaImage.ALPHABET.indexOf(c) >= 0, "look-alike " + c);
    }
    assertEquals(CaptchaImage.ALPHABET.length(), CaptchaImage.ALPHABET.chars().distinct().count());
  }

  @Test
  void randomAnswersAreFourCharactersFromTheAlphabetRoughlyUniform() {
    Map<Character, Integer> seen = new HashMap<>();
    int n = 10_000;
    for (int i = 0; i < n; i++) {
      String a = CaptchaImage.randomAnswer();
      assertEquals(CaptchaImage.LENGTH, a.length());
      for (char c : a.toCharArray()) {
        assertTrue(CaptchaImage.ALPHABET.indexOf(c) >= 0, "character outside the alphabet");
        seen.merge(c, 1, Integer::sum);
      }
    }
    assertEquals(CaptchaImage.ALPHABET.length(), seen.size(), "every character is used");
    double expected = n * CaptchaImage.LENGTH / (double) CaptchaImage.ALPHABET.length();
    // about 1290 each with a standard deviation near 35: ±300 only catches a broken generator
    seen.values().forEach(count -> assertTrue(Math.abs(count - expected) < 300, "skewed: " + count));
  }

  @Test
  void pngDecodesAtTheExpectedSize() throws Exception {
    byte[] png = CaptchaImage.png("K7PX".replace('7', '8'));
    assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "ImageIO reads it");
    assertEquals(CaptchaImage.WIDTH, img.getWidth());
    assertEquals(CaptchaImage.HEIGHT, img.getHeight());
    assertEquals(120, img.getWidth());
    assertEquals(44, img.getHeight());
    assertTrue(png.length < 20_000, "small enough for a JSON reply: " + png.length);
  }

  @Test
  void everyCharacterOfTheAlphabetRendersAndLowercaseToo() {
    String a = CaptchaImage.ALPHABET;
    for (int i = 0; i < a.length(); i += 4) {
      String text = a.substring(i, Math.min(a.length(), i + 4));
      assertTrue(CaptchaImage.canRender(text));
      assertTrue(CaptchaImage.canRender(text.toLowerCase()));
      assertNotNull(CaptchaImage.render(text, new SplittableRandom(i)));
    }
  }

  @Test
  void drawsDarkInkOnALightBackground() {
    BufferedImage img = CaptchaImage.render("YZT8", new SplittableRandom(42));
    int dark = 0;
    int light = 0;
    for (int y = 0; y < img.getHeight(); y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int rgb = img.getRGB(x, y);
        int lum = (((rgb >> 16) & 0xff) * 3 + ((rgb >> 8) & 0xff) * 6 + (rgb & 0xff)) / 10;
        if (lum < 130) {
          dark++;
        } else if (lum > 200) {
          light++;
        }
      }
    }
    int total = img.getWidth() * img.getHeight();
    assertTrue(dark > total / 20, "enough ink to read: " + dark);
    assertTrue(light > total / 2, "mostly background: " + light);
  }

  @Test
  void theSameAnswerNeverLooksTheSameTwice() {
    assertFalse(Arrays.equals(CaptchaImage.png("YZT8"), CaptchaImage.png("YZT8")));
  }

  @Test
  void refusesWhatItCannotDraw() {
    assertFalse(CaptchaImage.canRender(null));
    assertFalse(CaptchaImage.canRender(""));
    assertFalse(CaptchaImage.canRender("O0I1"));
    assertFalse(CaptchaImage.canRender("ABCDEFG"));
    assertFalse(CaptchaImage.canRender("AB C"));
    assertThrows(IllegalArgumentException.class, () -> CaptchaImage.png("0000"));
  }
}
