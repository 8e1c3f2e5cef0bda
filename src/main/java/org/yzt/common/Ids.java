package org.yzt.common;

import java.security.SecureRandom;
import java.util.Base64;

/** Opaque, unguessable, URL-safe identifiers (128 random bits). */
public final class Ids {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  public static String random128() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return URL.encodeToString(b);
  }

  /** A 22-character id as {@link #random128()} makes; anything else is unknown without a look-up. */
  public static boolean looksLikeId(String s) {
    return s != null && s.length() == 22 && s.chars().allMatch(c ->
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }

  public static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  public static SecureRandom random() {
    return RANDOM;
  }
}
