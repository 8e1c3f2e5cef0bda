package org.yzt.privacy;

import org.yzt.contract.IdLast6;
import org.yzt.contract.PhoneNumber;

/** Field checks of SPEC §2.6 (ID digits, SMS codes); numbers are {@link PhoneNumber}. */
public final class Phone {
  private Phone() {}

  /** True when characters {@code from} to {@code to} (exclusive) of {@code s} are ASCII digits. */
  static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** The 11-digit number, or null when the input is not a mainland mobile number ({@link PhoneNumber#normalize}). */
  public static String normalize(String raw) {
    return PhoneNumber.normalize(raw);
  }

  /** 138****8000 ({@link PhoneNumber#mask}). */
  public static String mask(String phone) {
    return PhoneNumber.mask(phone);
  }

  /** The uppercased last six characters of an ID card, or null when malformed ({@link IdLast6#normalize}). */
  public static String normalizeIdLast6(String raw) {
    return IdLast6.normalize(raw);
  }

  public static boolean isSmsCode(String s) {
    return s != null && s.length() == 6 && digits(s, 0, 6); // ^\d{6}$
  }
}
