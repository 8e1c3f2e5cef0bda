package org.yzt.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yzt.partner.SignatureVerifier.Verdict;

/** The reference receiver of SPEC §4: signature, 5-minute skew, nonces once within 10 minutes, two live keys. */
class SignatureVerifierTest {
  private static final String PATH = "/v1/account-count";
  private static final Buffer BODY = Buffer.buffer("{\"requestId\":\"r\",\"phone\":\"13800138000\"}");
  private static final long T0 = 1_764_547_200_000L;
  private static final long MINUTE = 60_000L;

  private static MultiMap signed(String keyId, String secret, long ts, String nonce) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    new RequestSigner(keyId, secret).sign(h, "POST", PATH, BODY, ts, nonce);
    return h;
  }

  private static String nonce(int i) {
    return String.format("%032x", i);
  }

  @Test
  void aNonceIsAcceptedOnceWithinItsWindowAndForgottenAfter() {
    SignatureVerifier v = new SignatureVerifier(Map.of("k", "s"), 100);
    MultiMap h = signed("k", "s", T0, nonce(1));
    assertEquals(Verdict.OK, v.verify(h, "POST", PATH, BODY, T0));
    assertEquals(Verdict.REPLAYED_NONCE, v.verify(h, "POST", PATH, BODY, T0 + 1));
    assertEquals(Verdict.REPLAYED_NONCE, v.verify(h, "POST", PATH, BODY, T0 + 5 * MINUTE));
    // after that the timestamp alone refuses it, and the cache has let it go
    assertEquals(Verdict.STALE_TIMESTAMP, v.verify(h, "POST", PATH, BODY, T0 + 5 * MINUTE + 1));
    assertEquals(Verdict.OK, v.verify(signed("k", "s", T0 + 5 * MINUTE + 1, nonce(9)), "POST", PATH, BODY, T0 + 5 * MINUTE + 1));
    assertEquals(1, v.rememberedNonces(), "the first nonce is forgotten");
    // a request signed 5 minutes ahead of our clock keeps its nonce for the whole 10 minutes
    MultiMap ahead = signed("k", "s", T0 + 5 * MINUTE, nonce(2));
    assertEquals(Verdict.OK, v.verify(ahead, "POST", PATH, BODY, T0));
    assertEquals(Verdict.REPLAYED_NONCE, v.verify(ahead, "POST", PATH, BODY, T0 + 10 * MINUTE));
  }

  @Test
  void aRefusedRequestDoesNotSpendItsNonce() {
    SignatureVerifier v = new SignatureVerifier(Map.of("k", "s"), 100);
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(signed("k", "wrong", T0, nonce(3)), "POST", PATH, BODY, T0));
    assertEquals(Verdict.STALE_TIMESTAMP, v.verify(signed("k", "s", T0 - 6 * MINUTE, nonce(3)), "POST", PATH, BODY, T0));
    assertEquals(0, v.rememberedNonces());
    assertEquals(Verdict.OK, v.verify(signed("k", "s", T0, nonce(3)), "POST", PATH, BODY, T0));
  }

  @Test
  void badHeadersAreBadSignatures() {
    SignatureVerifier v = new SignatureVerifier(Map.of("k", "s"), 100);
    MultiMap h = signed("k", "s", T0, nonce(4));
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(h, "POST", PATH + "x", BODY, T0));
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(h, "POST", PATH, Buffer.buffer("{}"), T0));
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(signed("other", "s", T0, nonce(4)), "POST", PATH, BODY, T0));
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(signed("k", "s", T0, "NOT-HEX-" + nonce(4).substring(8)), "POST", PATH, BODY, T0));
    MultiMap noNonce = signed("k", "s", T0, nonce(5));
    noNonce.remove(RequestSigner.NONCE);
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(noNonce, "POST", PATH, BODY, T0));
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(MultiMap.caseInsensitiveMultiMap(), "POST", PATH, BODY, T0));
  }

  @Test
  void duringARotationBothKeysAreLiveAndTheKeyIdSelects() {
    JsonObject peer = new JsonObject().put("keyId", "k-b").put("secret", "new-secret")
        .put("previousKeys", new JsonArray().add(new JsonObject().put("keyId", "k-a").put("secret", "old-secret")));
    SignatureVerifier v = SignatureVerifier.forPeer(peer, 100);
    assertEquals(Verdict.OK, v.verify(signed("k-b", "new-secret", T0, nonce(6)), "POST", PATH, BODY, T0));
    assertEquals(Verdict.OK, v.verify(signed("k-a", "old-secret", T0, nonce(7)), "POST", PATH, BODY, T0));
    // the key id selects the secret: the old secret under the new id is refused
    assertEquals(Verdict.BAD_SIGNATURE, v.verify(signed("k-b", "old-secret", T0, nonce(8)), "POST", PATH, BODY, T0));
    SignatureVerifier after = SignatureVerifier.forPeer(peer.copy().put("previousKeys", new JsonArray()), 100);
    assertEquals(Verdict.OK, after.verify(signed("k-b", "new-secret", T0, nonce(6)), "POST", PATH, BODY, T0));
    assertEquals(Verdict.BAD_SIGNATURE, after.verify(signed("k-a", "old-secret", T0, nonce(7)), "POST", PATH, BODY, T0));
  }

  @Test
  void memoryIsBoundedAndAFullCacheFailsClosed() {
    SignatureVerifier v = new SignatureVerifier(Map.of("k", "s"), 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(Verdict.OK, v.verify(signed("k", "s", T0, nonce(10 + i)), "POST", PATH, BODY, T0));
    }
    assertEquals(Verdict.BUSY, v.verify(signed("k", "s", T0, nonce(20)), "POST", PATH, BODY, T0 + MINUTE));
    assertEquals(Verdict.REPLAYED_NONCE, v.verify(signed("k", "s", T0, nonce(10)), "POST", PATH, BODY, T0 + MINUTE));
    assertEquals(3, v.rememberedNonces());
    // once their timestamps are 5 minutes old the slots are free again
    long later = T0 + 5 * MINUTE + 1;
    assertEquals(Verdict.OK, v.verify(signed("k", "s", later, nonce(20)), "POST", PATH, BODY, later));
    assertEquals(1, v.rememberedNonces());
  }
}
