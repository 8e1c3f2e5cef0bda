package org.yzt.privacy;

import io.vertx.core.json.JsonObject;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * Resident ID numbers of SPEC §13 (GB 11643): 17 digits and a check character ({@code X} in either
 * case), the checksum right, a birth date from 1900-01-01 to today in China (UTC+8). The 18-character
 * foreign permanent-resident IDs follow the same layout and pass by the same rules; the 15-digit
 * first-generation numbers are refused with a reason of their own, so the message can say so.
 * Never logs or echoes the number.
 */
public final class IdNumber {
  /** Why a number was refused. */
  public enum Refusal { FIFTEEN_DIGITS, MALFORMED }

  /** A checked number ({@code value} uppercased) or the refusal. */
  public record Checked(String value, Refusal refusal) {
    public boolean valid() {
      return value != null;
    }
  }

  private static final int[] WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  private static final String CHECK_CHARS = "10X98765432";
  private static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
  private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

  private IdNumber() {}

  /** {@link #check(String, LocalDate)} against today's date in China. */
  public static Checked check(String raw) {
    return check(raw, LocalDate.now(CHINA));
  }

  public static Checked check(String raw, LocalDate today) {
    if (raw == null) {
      return new Checked(null, Refusal.MALFORMED);
    }
    if (raw.length() == 15 && Phone.digits(raw, 0, 15)) {
      return new Checked(null, Refusal.FIFTEEN_DIGITS);
    }
    if (raw.length() != 18 || !Phone.digits(raw, 0, 17)) {
      return new Checked(null, Refusal.MALFORMED);
    }
    char last = raw.charAt(17) == 'x' ? 'X' : raw.charAt(17);
    if (last != CHECK_CHARS.charAt(checksum(raw))) {
      return new Checked(null, Refusal.MALFORMED);
    }
    LocalDate born = birthDate(raw);
    if (born == null || born.isBefore(EARLIEST) || born.isAfter(today)) {
      return new Checked(null, Refusal.MALFORMED);
    }
    return new Checked(raw.substring(0, 17) + last, null);
  }

  /** The sum of the first 17 digits by their weights, mod 11: the index of the check character. */
  static int checksum(String s) {
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (s.charAt(i) - '0') * WEIGHTS[i];
    }
    return sum % 11;
  }

  /** The date in characters 7–14, or null when it is no date (a 13th month, 30 February). */
  private static LocalDate birthDate(String s) {
    int y = Integer.parseInt(s, 6, 10, 10);
    int m = Integer.parseInt(s, 10, 12, 10);
    int d = Integer.parseInt(s, 12, 14, 10);
    try {
      return LocalDate.of(y, m, d);
    } catch (DateTimeException e) {
      return null;
    }
  }
  /** The failure a refused number answers: INVALID_ID_NUMBER, saying so when it is a first-generation (15-digit) one. */
  public static Throwable failure(Refusal why) {
    return why == Refusal.FIFTEEN_DIGITS
        ? Failures.of(ErrorCode.INVALID_ID_NUMBER, new JsonObject().put(Failures.REASON, Failures.FIFTEEN_DIGITS))
        : Failures.of(ErrorCode.INVALID_ID_NUMBER);
  }
}
