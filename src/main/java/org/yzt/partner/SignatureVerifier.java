package org.yzt.partner;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The reference receiver of SPEC §4, as a partner implements it (and as our simulators run it):
 * the key named by {@code X-Yzt-Key-Id} among the live keys (two during a rotation), the signature,
 * the timestamp within 5 minutes, then the nonce not accepted before within its window. Only a
 * request that passes every other check spends its nonce, so forged requests cannot fill the cache.
 */
public final class SignatureVerifier {
  /** The outcome of one check; everything but {@link #OK} and {@link #BUSY} is answered 401. */
  public enum Verdict {
    OK,
    /** Headers missing or malformed, an unknown key id, or a signature that does not match. */
    BAD_SIGNATURE,
    /** A timestamp more than 5 minutes off this receiver's clock. */
    STALE_TIMESTAMP,
    /** A nonce accepted before within the last 10 minutes. */
    REPLAYED_NONCE,
    /** The nonce cache is full: refused (503) rather than forgetting live nonces. */
    BUSY
  }

  public static final int DEFAULT_MAX_NONCES = 100_000;
  private static final Pattern NONCE = Pattern.compile("^[0-9a-f]{32}$");

  private final Map<String, RequestSigner> keys;
  private final NonceCache nonces;

  /** {@code keys}: key id → secret, every key this receiver accepts now. */
  public SignatureVerifier(Map<String, String> keys, int maxNonces) {
    Map<String, RequestSigner> signers = new LinkedHashMap<>();
    keys.forEach((id, secret) -> signers.put(id, new RequestSigner(id, secret)));
    this.keys = Map.copyOf(signers);
    this.nonces = new NonceCache(maxNonces);
  }

  /**
   * The keys of one configured peer: its {@code keyId}/{@code secret}, plus the optional
   * {@code previousKeys: [{keyId, secret}]} that it still accepts during a rotation.
   */
  public static SignatureVerifier forPeer(JsonObject peer, int maxNonces) {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(peer.getString("keyId", ""), peer.getString("secret", ""));
    for (Object o : peer.getJsonArray("previousKeys", new JsonArray())) {
      if (o instanceof JsonObject k && k.getString("keyId") != null && k.getString("secret") != null) {
        keys.putIfAbsent(k.getString("keyId"), k.getString("secret"));
      }
    }
    return new SignatureVerifier(keys, maxNonces);
  }

  public Verdict verify(MultiMap headers, String method, String path, Buffer body, long nowMs) {
    String keyId = headers.get(RequestSigner.KEY_ID);
    String ts = headers.get(RequestSigner.TIMESTAMP);
    String nonce = headers.get(RequestSigner.NONCE);
    String sig = headers.get(RequestSigner.SIGNATURE);
    RequestSigner signer = keyId == null ? null : keys.get(keyId);
    if (signer == null || ts == null || nonce == null || sig == null || !NONCE.matcher(nonce).matches()) {
      return Verdict.BAD_SIGNATURE;
    }
    long t;
    try {
      t = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      return Verdict.BAD_SIGNATURE;
    }
    if (!signer.matches(sig, method, path, ts, nonce, body)) {
      return Verdict.BAD_SIGNATURE;
    }
    if (Math.abs(nowMs - t) > RequestSigner.MAX_SKEW_MS) {
      return Verdict.STALE_TIMESTAMP;
    }
    return switch (nonces.firstUse(nonce, t, nowMs)) {
      case FIRST -> Verdict.OK;
      case REPLAYED -> Verdict.REPLAYED_NONCE;
      case FULL -> Verdict.BUSY;
    };
  }

  /** Nonces remembered now. */
  public int rememberedNonces() {
    return nonces.size();
  }
}
