package org.yzt.common;

import java.util.Locale;

/** Mainland mobile numbers: normalisation of SPEC §2.6 and the mask of SPEC §6. */
public final class Phone {
  private Phone() {}

  /** {@code ^1[3-9]\d{9}$}, without a regex (checked on every submission, twice). */
  private static boolean isMobile(String s) {
    if (s.length() != 11 || s.charAt(0) != '1' || s.charAt(1) < '3' || s.charAt(1) > '9') {
      return false;
    }
    return digits(s, 2, 11);
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The 11-digit number, or null when the input is not a mainland mobile number. */
  public static String normalize(String raw) {
    if (raw == null || raw.length() > 32) {
      return null;
    }
    String s = raw.indexOf(' ') < 0 && raw.indexOf('-') < 0 ? raw : raw.replace(" ", "").replace("-", "");
    if (s.startsWith("+86") && s.length() == 14) {
      s = s.substring(3);
    } else if (s.startsWith("86") && s.length() == 13) {
      s = s.substring(2);
    }
    return isMobile(s) ? s : null;
  }

  /** 138****8000: the only form in which a number may appear in a text, a log line or a message. */
  public static String mask(String phone) {
    if (phone == null || phone.length() != 11) {
      return "***********";
    }
    return phone.substring(0, 3) + "****" + phone.substring(7);
  }

  /** The uppercased last six characters of an ID card, or null when malformed. */
  public static String normalizeIdLast6(String raw) {
    if (raw == null || raw.length() != 6) {
      return null;
    }
    String s = raw.toUpperCase(Locale.ROOT);
    // ^\d{5}[\dX]$
    if (s.length() != 6) {
      return null; // an uppercase that grew (ß → SS)
    }
    char last = s.charAt(5);
    return digits(s, 0, 5) && (last == 'X' || (last >= '0' && last <= '9')) ? s : null;
  }

  public static boolean isSmsCode(String s) {
    return s != null && s.length() == 6 && digits(s, 0, 6); // ^\d{6}$
  }
}
