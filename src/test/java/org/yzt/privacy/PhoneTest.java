package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The checks of SPEC §2.6 without a regex say what the SPEC's patterns say: {@code ^1[3-9]\d{9}$}
 * after normalisation, {@code ^\d{5}[\dX]$} after uppercasing, six digits for a code.
 */
class PhoneTest {
  private static final Pattern MOBILE = Pattern.compile("^1[3-9]\\d{9}$");
  private static final Pattern ID_LAST6 = Pattern.compile("^\\d{5}[\\dX]$");
  private static final Pattern SMS_CODE = Pattern.compile("^\\d{6}$");

  private static String byPattern(String raw) {
    if (raw == null || raw.length() > 32) {
      return null;
    }
    String s = raw.replace(" ", "").replace("-", "");
    if (s.startsWith("+86") && s.length() == 14) {
      s = s.substring(3);
    } else if (s.startsWith("86") && s.length() == 13) {
      s = s.substring(2);
    }
    return MOBILE.matcher(s).matches() ? s : null;
  }

  @Test
  void sameAnswersAsTheSpecsPatterns() {
    List<String> inputs = new ArrayList<>(List.of("13800138000", "12800138000", "1380013800", "138001380000",
        "+8613800138000", "8613800138000", "86 138-0013-8000", "138 0013 8000\n", "1380013800a", "１3800138000",
        "19912345678", "10012345678", "", "+86", "12345X", "12345x", "12345Y", "1234X5", "123456", "12345ß",
        "١٢٣٤٥٦", "482913", "48291", "4829133", "48291\n", "12345X\n"));
    Random random = new Random(3);
    String alphabet = "0123456789 -+xX\nß١";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder(random.nextBoolean() ? "1" : "");
      int n = random.nextInt(15);
      for (int j = 0; j < n; j++) {
        sb.append(random.nextInt(4) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : (char) ('0' + random.nextInt(10)));
      }
      inputs.add(sb.toString());
    }
    for (String in : inputs) {
      assertEquals(byPattern(in), Phone.normalize(in), "normalize(" + in + ")");
      String up = in.length() == 6 ? in.toUpperCase(Locale.ROOT) : null;
      assertEquals(up != null && ID_LAST6.matcher(up).matches() ? up : null, Phone.normalizeIdLast6(in), "idLast6(" + in + ")");
      assertEquals(SMS_CODE.matcher(in).matches(), Phone.isSmsCode(in), "isSmsCode(" + in + ")");
    }
  }
}
