package org.yzt.common;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/** Opaque, unguessable, URL-safe identifiers (128 random bits). */
public final class Ids {
  /**
   * One generator per thread: the default NativePRNG shares one locked state (and /dev/urandom reads)
   * between all threads, which every event loop then waits on several times per request.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newRandom);
  /**
   * Secure random bytes drawn ahead, per thread: each DRBG call costs a few SHA-256 blocks whatever
   * it returns, so a query's id and its sealing IV (28 bytes) took two calls of their own; a KB
   * drawn at once serves ~36 queries for about the cost of one such call.
   */
  private static final ThreadLocal<SecureBytes> AHEAD = ThreadLocal.withInitial(SecureBytes::new);
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  public static String random128() {
    byte[] b = new byte[16];
    secureBytes(b);
    return URL.encodeToString(b);
  }

  /** Fills {@code out} with bytes of this thread's secure generator (drawn ahead, each byte given out once). */
  public static void secureBytes(byte[] out) {
    AHEAD.get().take(out);
  }

  private static final class SecureBytes {
    private final byte[] buffer = new byte[1024];
    private int next = buffer.length;

    void take(byte[] out) {
      if (out.length > buffer.length) {
        RANDOM.get().nextBytes(out);
        return;
      }
      if (next + out.length > buffer.length) {
        RANDOM.get().nextBytes(buffer);
        next = 0;
      }
      System.arraycopy(buffer, next, out, 0, out.length);
      Arrays.fill(buffer, next, next + out.length, (byte) 0); // given out once: not kept
      next += out.length;
    }
  }

  /** A 22-character id as {@link #random128()} makes; anything else is unknown without a look-up. */
  public static boolean looksLikeId(String s) {
    return s != null && s.length() == 22 && s.chars().allMatch(c ->
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }

  public static String hex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.get().nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }

  /**
   * A request's correlation id (16 hex digits): it names a request in logs and in X-Request-Id, and
   * grants nothing, so it comes from the thread's fast generator, not from the secure one (whose
   * every call costs a SHA-256 or two).
   */
  public static String requestId() {
    String hex = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong());
    return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }

  /** This thread's generator: use it at once, never hand it to another thread. */
  public static SecureRandom random() {
    return RANDOM.get();
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG"); // seeded once from the system's entropy
    } catch (java.security.NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
