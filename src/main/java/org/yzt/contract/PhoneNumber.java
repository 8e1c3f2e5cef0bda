package org.yzt.contract;

/**
 * A mainland mobile number, normalised once where it enters (SPEC §2.6: spaces, dashes and a +86
 * or 86 prefix dropped) and carried as its 11 digits from there on. {@link #toString} masks it, so
 * that a number put in a log line or an exception by mistake is still only 138****8000.
 */
public record PhoneNumber(String digits) {
  public PhoneNumber {
    if (!isMobile(digits)) {
      throw new IllegalArgumentException("not an 11-digit mainland mobile number");
    }
  }

  /** The number {@code raw} stands for, or null when it is not a mainland mobile number. */
  public static PhoneNumber parse(String raw) {
    String digits = normalize(raw);
    return digits == null ? null : new PhoneNumber(digits);
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

  public String masked() {
    return mask(digits);
  }

  /** The first three digits, which name the carrier (SPEC §4). */
  public String prefix() {
    return digits.substring(0, 3);
  }

  @Override
  public String toString() {
    return masked();
  }

  /** {@code ^1[3-9]\d{9}$}, without a regex (checked on every submission). */
  private static boolean isMobile(String s) {
    if (s == null || s.length() != 11 || s.charAt(0) != '1' || s.charAt(1) < '3' || s.charAt(1) > '9') {
      return false;
    }
    for (int i = 2; i < 11; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
