package org.yzt.partner;

import org.yzt.privacy.Ids;
import org.yzt.privacy.PersonalData;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The request signature of SPEC §4, both sides: our connectors sign, the simulators (and real
 * peers) verify. HMAC-SHA256 over method, path, timestamp, nonce and the body's SHA-256.
 */
public final class RequestSigner {
  public static final String KEY_ID = "X-Yzt-Key-Id";
  public static final String TIMESTAMP = "X-Yzt-Timestamp";
  public static final String NONCE = "X-Yzt-Nonce";
  public static final String SIGNATURE = "X-Yzt-Signature";
  public static final long MAX_SKEW_MS = 5 * 60 * 1000L;

  private final String keyId;
  private final byte[] secret;
  /** One keyed HMAC per thread: doFinal resets it for the next message, so the key is set up once. */
  private final ThreadLocal<Mac> hmac;
  /** Stamps each request's X-Yzt-Timestamp: the node's clock, which partners check within {@link #MAX_SKEW_MS}. */
  private final Clock clock;

  /** A signer on the system clock (the admin tool, tests of the signature itself). */
  public RequestSigner(String keyId, String secret) {
    this(keyId, secret, Clock.systemUTC());
  }

  public RequestSigner(String keyId, String secret, Clock clock) {
    this.keyId = keyId;
    this.clock = clock;
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.hmac = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(this.secret, "HmacSHA256"));
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Adds the four signature headers for a request to {@code path} with {@code body}. */
  public void sign(MultiMap headers, String method, String path, Buffer body) {
    sign(headers, method, path, body, clock.millis(), Ids.hex(16));
  }

  /** The same with a given timestamp and nonce (test vectors, and the conformance check's stale and replayed requests). */
  public void sign(MultiMap headers, String method, String path, Buffer body, long timestampMs, String nonce) {
    String ts = Long.toString(timestampMs);
    headers.set(KEY_ID, keyId);
    headers.set(TIMESTAMP, ts);
    headers.set(NONCE, nonce);
    headers.set(SIGNATURE, signature(method, path, ts, nonce, body));
  }

  public String signature(String method, String path, String timestamp, String nonce, Buffer body) {
    String payload = stringToSign(method, path, timestamp, nonce, body);
    return HexFormat.of().formatHex(hmac.get().doFinal(payload.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * True when the headers carry this key's valid signature and a timestamp within five minutes.
   * Stateless: a receiver also refuses replayed nonces, as {@link SignatureVerifier} does.
   */
  public boolean verify(MultiMap headers, String method, String path, Buffer body, long nowMs) {
    String ts = headers.get(TIMESTAMP);
    String nonce = headers.get(NONCE);
    String sig = headers.get(SIGNATURE);
    if (!keyId.equals(headers.get(KEY_ID)) || ts == null || nonce == null || sig == null) {
      return false;
    }
    long t;
    try {
      t = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      return false;
    }
    return Math.abs(nowMs - t) <= MAX_SKEW_MS && matches(sig, method, path, ts, nonce, body);
  }

  /** True when {@code signature} is this key's signature of the request, compared in constant time. */
  public boolean matches(String signature, String method, String path, String timestamp, String nonce, Buffer body) {
    String expected = signature(method, path, timestamp, nonce, body);
    return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8));
  }

  /** The string that is signed (SPEC §4), for partners' test vectors and the conformance check. */
  public static String stringToSign(String method, String path, String timestamp, String nonce, Buffer body) {
    return method + "\n" + path + "\n" + timestamp + "\n" + nonce + "\n"
        + PersonalData.sha256Hex(body == null ? new byte[0] : body.getBytes());
  }
}
