package org.yzt.privacy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keyed hashing and encryption of SPEC §9, all derived from {@code security.dataKey}:
 * Redis key names carry an HMAC of the number, never the number; captcha answers and SMS codes are
 * stored as keyed hashes; personal data at rest is AES-256-GCM. Thread-safe.
 *
 * <p>Sealed values are {@code <keyVersion>:<base64(iv ‖ ciphertext ‖ tag)>}, sealed with the job's id
 * and the field's name as associated data (SPEC §9): a value moved to another job, or to another field
 * of its job, does not open; the key version names which key opened it, so values sealed under
 * {@code security.previousDataKeys[]} still open during a rotation. The key version is a fingerprint of
 * the key (no counter for the operator to keep). Each key has two versions: the one it seals with now
 * (job id and field name bound), and the one of values sealed before fields were bound (job id only),
 * which still open, so that jobs pending across the upgrade complete.
 */
public final class PersonalData {
  private static final int GCM_IV_BYTES = 12;
  private static final int GCM_TAG_BITS = 128;
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  /** One keyed HMAC per thread and purpose: no provider look-up or key set-up per use. */
  private final ThreadLocal<Mac> nameMac;
  private final ThreadLocal<Mac> hashMac;
  private final ThreadLocal<Mac> bodyMac;
  private final String keyVersion;
  private final SecretKeySpec aesKey;
  /** A key that may open a value, and whether its values are bound to their field. */
  private record Opening(SecretKeySpec key, boolean fieldBound) {}

  /** Every key that may open a value: the current one first, then the previous ones, by version. */
  private final Map<String, Opening> openingKeys = new LinkedHashMap<>();
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
    this(dataKeyBase64, List.of());
  }

  /** The current key and the keys it replaced, which still open values sealed before a rotation. */
  public PersonalData(String dataKeyBase64, List<String> previousDataKeysBase64) {
    byte[] master = master(dataKeyBase64, "security.dataKey");
    // Separate keys per purpose, so a leak of one kind of value says nothing about another.
    this.nameMac = macs(hmac(master, "yzt/key-names"));
    this.hashMac = macs(hmac(master, "yzt/secret-hashes"));
    this.bodyMac = macs(hmac(master, "yzt/idempotency-bodies"));
    this.keyVersion = version(master, FIELD_BOUND);
    this.aesKey = aesKey(master);
    openingKeys.put(keyVersion, new Opening(aesKey, true));
    openingKeys.put(version(master, JOB_BOUND), new Opening(aesKey, false));
    for (String previous : previousDataKeysBase64) {
      byte[] old = master(previous, "security.previousDataKeys[]");
      openingKeys.putIfAbsent(version(old, FIELD_BOUND), new Opening(aesKey(old), true));
      openingKeys.putIfAbsent(version(old, JOB_BOUND), new Opening(aesKey(old), false));
    }
  }

  /** The version label of values bound to their job and field. */
  private static final String FIELD_BOUND = "yzt/key-version/field-bound";
  /** The version label of values sealed before fields were bound: their job only. */
  private static final String JOB_BOUND = "yzt/key-version";

  private static byte[] master(String base64, String what) {
    byte[] master;
    try {
      master = Base64.getDecoder().decode(base64 == null ? "" : base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(what + " is not valid base64");
    }
    if (master.length != 32) {
      throw new IllegalStateException(what + " must decode to 32 bytes");
    }
    return master;
  }

  private static SecretKeySpec aesKey(byte[] master) {
    return new SecretKeySpec(hmac(master, "yzt/at-rest-encryption"), "AES");
  }

  /** A short public fingerprint of a key and a sealing format: names them without saying anything about the key. */
  private static String version(byte[] master, String format) {
    return B64URL.encodeToString(Arrays.copyOf(hmac(master, format), 6));
  }

  /** The version prefix of values this instance seals. */
  public String keyVersion() {
    return keyVersion;
  }

  /** A stable, non-reversible token for a number (or an IP) to use inside Redis key names. */
  public String keyToken(String value) {
    byte[] mac = nameMac.get().doFinal(value.getBytes(StandardCharsets.UTF_8)); // doFinal resets it
    return B64URL.encodeToString(Arrays.copyOf(mac, 16));
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

  /**
   * Keyed hash of a request body's digest for the idempotency record: a plain SHA-256 of a body that
   * holds the number would let the ID digits be brute-forced, this one cannot be without the key.
   */
  public String bodyHash(String bodyDigest) {
    return B64URL.encodeToString(bodyMac.get().doFinal(bodyDigest.getBytes(StandardCharsets.UTF_8)));
  }

  /** Seals {@code data} as the field {@code field} of the job {@code jobId}, with the current key. */
  public String encrypt(String jobId, String field, JsonObject data) {
    return encrypt(jobId, field, data.encode());
  }

  /** {@link #encrypt(String, String, JsonObject)} of a JSON object already written out. */
  public String encrypt(String jobId, String field, String json) {
    return seal(keyVersion, aesKey, associated(jobId, field), json);
  }

  /**
   * Seals {@code data} for the job {@code jobId} only, as nodes did before fields were bound: what a
   * job pending across the upgrade holds. Only for tests of that upgrade; nothing seals this way now.
   */
  public String encryptBoundToJobOnly(String jobId, JsonObject data) {
    String version = null;
    for (Map.Entry<String, Opening> e : openingKeys.entrySet()) {
      if (e.getValue().key() == aesKey && !e.getValue().fieldBound()) {
        version = e.getKey();
      }
    }
    return seal(version, aesKey, jobId.getBytes(StandardCharsets.UTF_8), data.encode());
  }

  private static byte[] associated(String jobId, String field) {
    // a NUL cannot occur in a job id: the two parts cannot be shifted into each other
    return (jobId + "\u0000" + field).getBytes(StandardCharsets.UTF_8);
  }

  private static String seal(String version, SecretKeySpec key, byte[] aad, String json) {
    try {
      byte[] iv = new byte[GCM_IV_BYTES];
      Ids.fill(iv);
      Cipher c = GCM.get();
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(GCM_TAG_BITS, iv));
      c.updateAAD(aad);
      byte[] ct = c.doFinal(json.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + ct.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(ct, 0, out, iv.length, ct.length);
      return version + ":" + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("encryption failed");
    }
  }

  /**
   * Opens the value of field {@code field} of job {@code jobId}, sealed by this key or a previous one
   * (bound to its field, or sealed before fields were bound); fails for any other job, field or key.
   */
  public JsonObject decrypt(String jobId, String field, String sealed) {
    int colon = sealed == null ? -1 : sealed.indexOf(':');
    Opening opening = colon <= 0 ? null : openingKeys.get(sealed.substring(0, colon));
    if (opening == null) {
      throw new IllegalStateException("decryption failed: sealed by an unknown key version");
    }
    try {
      byte[] in = Base64.getDecoder().decode(sealed.substring(colon + 1));
      Cipher c = GCM.get();
      c.init(Cipher.DECRYPT_MODE, opening.key(), new GCMParameterSpec(GCM_TAG_BITS, in, 0, GCM_IV_BYTES));
      c.updateAAD(opening.fieldBound() ? associated(jobId, field) : jobId.getBytes(StandardCharsets.UTF_8));
      byte[] pt = c.doFinal(in, GCM_IV_BYTES, in.length - GCM_IV_BYTES);
      return new JsonObject(new String(pt, StandardCharsets.UTF_8));
    } catch (GeneralSecurityException | RuntimeException e) {
      // (a truncated value makes some providers throw ProviderException) never echo the ciphertext or the cause: it could hint at the data
      throw new IllegalStateException("decryption failed");
    }
  }

  public static String sha256Hex(byte[] data) {
    return HexFormat.of().formatHex(SHA256.get().digest(data)); // digest() resets it
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
