package org.yzt.privacy;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Opaque, unguessable, URL-safe identifiers (128 random bits). */
public final class Ids {
  /**
   * One generator per thread: the default NativePRNG shares one locked state (and /dev/urandom reads)
   * between all threads, which every event loop then waits on several times per request.
   */
  private static final ThreadLocal<SecureRandom> RANDOM = ThreadLocal.withInitial(Ids::newRandom);
  /**
   * The thread's generator's output drawn a block at a time and handed out in slices: a DRBG call
   * costs two SHA-256 and a counter update whatever length it returns, and a query takes a dozen
   * nonces, ids and IVs of 12–16 bytes, so one call per block instead of one each.
   */
  private static final ThreadLocal<Block> BLOCK = ThreadLocal.withInitial(Block::new);
  static final int BLOCK_BYTES = 1024;
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  private Ids() {}

  public static String random128() {
    byte[] b = new byte[16];
    fill(b);
    return URL.encodeToString(b);
  }

  /** Fills {@code out} with the thread's secure random bytes (each byte handed out once). */
  public static void fill(byte[] out) {
    Block block = BLOCK.get();
    int off = 0;
    while (off < out.length) {
      if (block.next == block.bytes.length) {
        RANDOM.get().nextBytes(block.bytes);
        block.next = 0;
      }
      int n = Math.min(out.length - off, block.bytes.length - block.next);
      System.arraycopy(block.bytes, block.next, out, off, n);
      Arrays.fill(block.bytes, block.next, block.next + n, (byte) 0); // given out once: not kept here
      block.next += n;
      off += n;
    }
  }

  private static final class Block {
    final byte[] bytes = new byte[BLOCK_BYTES];
    int next = BLOCK_BYTES;
  }

  /** A 22-character id as {@link #random128()} makes; anything else is unknown without a look-up. */
  public static boolean looksLikeId(String s) {
    return s != null && s.length() == 22 && urlSafe(s);
  }

  /**
   * A captcha id: 25 characters (128 random bits and the slot of its key, {@code store.RedisKeys#captchaId}),
   * or 22 (a captcha of the version before, still alive during a rolling upgrade).
   */
  public static boolean looksLikeCaptchaId(String s) {
    return s != null && (s.length() == 22 || s.length() == 25) && urlSafe(s);
  }

  /** A query id: 22 characters (the layout before sharding) or 24 (with its shard, {@code store.RedisKeys#queryId}). */
  public static boolean looksLikeQueryId(String s) {
    return s != null && (s.length() == 22 || s.length() == 24) && urlSafe(s);
  }

  private static boolean urlSafe(String s) {
    return s.chars().allMatch(c ->
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_');
  }

  public static String hex(int bytes) {
    byte[] b = new byte[bytes];
    fill(b);
    return HEX.formatHex(b);
  }

  /**
   * A request's correlation id (16 hex digits): it names a request in logs and in X-Request-Id, and
   * grants nothing, so it comes from the thread's fast generator, not from the secure one (whose
   * every call costs a SHA-256 or two).
   */
  public static String requestId() {
    String hex = Long.toHexString(ThreadLocalRandom.current().nextLong());
    return hex.length() == 16 ? hex : "0".repeat(16 - hex.length()) + hex;
  }

  /** This thread's generator: use it at once, never hand it to another thread. */
  public static SecureRandom random() {
    return RANDOM.get();
  }

  private static SecureRandom newRandom() {
    try {
      return SecureRandom.getInstance("DRBG"); // seeded once from the system's entropy
    } catch (NoSuchAlgorithmException e) {
      return new SecureRandom();
    }
  }
}
