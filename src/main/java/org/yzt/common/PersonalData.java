package org.yzt.common;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hashing and encryption of SPEC §9, all derived from {@code security.dataKey}:
 * Redis key names carry an HMAC of the number, never the number; captcha answers and SMS codes are
 * stored as keyed hashes; personal data at rest is AES-256-GCM. Thread-safe.
 */
public final class PersonalData {
  private static final int GCM_IV_BYTES = 12;
  private static final int GCM_TAG_BITS = 128;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** One keyed HMAC per thread and purpose: no provider look-up or key set-up per use. */
  private final ThreadLocal<Mac> nameMac;
  private final ThreadLocal<Mac> hashMac;
  private final SecretKeySpec aesKey;
  /** One GCM cipher per thread, re-initialised (fresh IV) for every use: no provider look-up, key schedule kept. */
  private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  });

  public PersonalData(String dataKeyBase64) {
    byte[] master;
    try {
      master = Base64.getDecoder().decode(dataKeyBase64 == null ? "" : dataKeyBase64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("security.dataKey is not valid base64");
    }
    if (master.length != 32) {
      throw new IllegalStateException("security.dataKey must decode to 32 bytes");
    }
    // Separate keys per purpose, so a leak of one kind of value says nothing about another.
    this.nameMac = macs(hmac(master, "yzt/key-names"));
    this.hashMac = macs(hmac(master, "yzt/secret-hashes"));
    this.aesKey = new SecretKeySpec(hmac(master, "yzt/at-rest-encryption"), "AES");
  }

  /** A stable, non-reversible token for a number (or an IP) to use inside Redis key names. */
  public String keyToken(String value) {
    byte[] mac = nameMac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)); // doFinal resets it
    return B64URL.encodeToString(java.util.Arrays.copyOf(mac, 16));
  }

  /** Keyed hash of a short secret (captcha answer, SMS code), bound to what it is for. */
  public String secretHash(String purpose, String value) {
    return B64URL.encodeToString(hashMac.get().doFinal((purpose + "\n" + value).getBytes(StandardCharsets.UTF_8)));
  }

  public static boolean constantTimeEquals(String a, String b) {
    if (a == null || b == null) {
      return false;
    }
    return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  public String encrypt(JsonObject data) {
    try {
      byte[] iv = new byte[GCM_IV_BYTES];
      Ids.random().nextBytes(iv);
      Cipher c = GCM.get();
      c.init(Cipher.ENCRYPT_MODE, aesKey, new GCMParameterSpec(GCM_TAG_BITS, iv));
      byte[] ct = c.doFinal(data.encode().getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + ct.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(ct, 0, out, iv.length, ct.length);
      return Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed");
    }
  }

  public JsonObject decrypt(String sealed) {
    try {
      byte[] in = Base64.getDecoder().decode(sealed);
      Cipher c = GCM.get();
      c.init(Cipher.DECRYPT_MODE, aesKey, new GCMParameterSpec(GCM_TAG_BITS, in, 0, GCM_IV_BYTES));
      byte[] pt = c.doFinal(in, GCM_IV_BYTES, in.length - GCM_IV_BYTES);
      return new JsonObject(new String(pt, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | RuntimeException e) {
      // (a truncated value makes some providers throw ProviderException) never echo the ciphertext or the cause: it could hint at the data
      throw new IllegalStateException("decryption failed");
    }
  }

  public static String sha256Hex(byte[] data) {
    return java.util.HexFormat.of().formatHex(SHA256.get().digest(data)); // digest() resets it
  }

  private static ThreadLocal<Mac> macs(byte[] key) {
    return ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  static byte[] hmac(byte[] key, String message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
