package org.yzt.contract;

import java.util.Locale;

/** The last six characters of an ID card number (SPEC §2.6): five digits and a digit or X, uppercased. */
public final class IdLast6 {
  private IdLast6() {}

  /** The uppercased last six characters, or null when malformed. */
  public static String normalize(String raw) {
    if (raw == null || raw.length() != 6) {
      return null;
    }
    String s = raw.toUpperCase(Locale.ROOT);
    if (s.length() != 6) {
      return null; // an uppercase that grew (ß → SS)
    }
    for (int i = 0; i < 5; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return null;
      }
    }
    char last = s.charAt(5);
    return last == 'X' || (last >= '0' && last <= '9') ? s : null;
  }

  /** {@link #normalize}, refusing with {@link ErrorCode#INVALID_ID_LAST6}. */
  public static String require(String raw) {
    String s = normalize(raw);
    if (s == null) {
      throw new BadMessage(ErrorCode.INVALID_ID_LAST6, null);
    }
    return s;
  }
}
