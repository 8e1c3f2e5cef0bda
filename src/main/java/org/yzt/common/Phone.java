package org.yzt.common;

import java.util.regex.Pattern;

/** Mainland mobile numbers: normalisation of SPEC §2.6 and the mask of SPEC §6. */
public final class Phone {
  private static final Pattern MOBILE = Pattern.compile("^1[3-9]\\d{9}$");
  private static final Pattern ID_LAST6 = Pattern.compile("^\\d{5}[\\dX]$");
  private static final Pattern SMS_CODE = Pattern.compile("^\\d{6}$");

  private Phone() {}

  /** The 11-digit number, or null when the input is not a mainland mobile number. */
  public static String normalize(String raw) {
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
    String s = raw.toUpperCase(java.util.Locale.ROOT);
    return ID_LAST6.matcher(s).matches() ? s : null;
  }

  public static boolean isSmsCode(String s) {
    return s != null && SMS_CODE.matcher(s).matches();
  }
}
