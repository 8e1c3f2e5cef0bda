package org.yzt.frontdoor;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.yzt.privacy.PersonalData;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * SPEC §9 data at rest, on a real Redis: the idempotency record holds no plain hash of the body
 * (nor does any other key), sealed job fields carry the key version, and {@code security.dataKey}
 * rotated while jobs are pending (the service restarted with the new key and the old one in
 * {@code security.previousDataKeys}) leaves every pending job to complete.
 */
class DataAtRestTest {
  static final int PENDING = 3;

  @Test
  void noPlainBodyHashInRedisAndPendingJobsCompleteAcrossAKeyRotation() throws Exception {
    String oldKey = newKey();
    String newKey = newKey();
    try (RedisServer redis = RedisServer.startNew()) {
      List<String> phones = new ArrayList<>();
      List<String> queryIds = new ArrayList<>();
      List<String> digests = new ArrayList<>();
      // 1. the old key, no pipeline worker: accepted jobs stay pending
      try (TestService before = TestService.start(redis, new JsonObject()
          .put("security", new JsonObject().put("dataKey", oldKey))
          .put("verticles", new JsonObject().put("pipeline", new JsonObject().put("instances", 0))))) {
        Api api = new Api(before);
        for (int i = 0; i < PENDING; i++) {
          String phone = Numbers.fresh();
          JsonObject body = Api.query(phone, "12345X", api.codeFor(phone));
          HttpResponse<Buffer> r = api.postJson("/api/v1/queries", body,
              MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "rotation-" + i));
          assertEquals(202, r.statusCode(), r.bodyAsString());
          phones.add(phone);
          queryIds.add(r.bodyAsJsonObject().getString("queryId"));
          digests.add(PersonalData.sha256Hex(body.toBuffer().getBytes()));
        }
        HttpResponse<Buffer> replay = api.postJson("/api/v1/queries", Api.query(phones.get(0), "12345X", "000000"),
            MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "rotation-0"));
        assertEquals(409, replay.statusCode(), "the keyed hash still tells another body apart");
      }
      String dump = redis.dumpAll();
      for (String digest : digests) {
        byte[] raw = HexFormat.of().parseHex(digest);
        for (String form : List.of(digest, digest.toUpperCase(Locale.ROOT), Base64.getEncoder().encodeToString(raw),
            Base64.getUrlEncoder().withoutPadding().encodeToString(raw))) {
          assertFalse(dump.contains(form), "a plain SHA-256 of a request body is in Redis");
        }
      }
      for (String phone : phones) {
        assertFalse(dump.contains(phone), "a number in clear in Redis");
      }
      String oldVersion = new PersonalData(oldKey).keyVersion();
      for (String q : queryIds) {
        assertTrue(redis.cli("HGET", Layout.job(q), "pd").startsWith(oldVersion + ":"), "sealed with the key version");
        assertEquals("ACCEPTED", redis.cli("HGET", Layout.job(q), "st").trim());
      }

      // 2. rotated: the new key seals, the old one still opens what is pending
      try (TestService after = TestService.start(redis, new JsonObject().put("security", new JsonObject()
          .put("dataKey", newKey).put("previousDataKeys", new JsonArray().add(oldKey))))) {
        Api api = new Api(after);
        assertTrue(org.yzt.testing.Wait.waitUntil(30_000, () -> queryIds.stream().allMatch(q -> "DONE".equals(api.queryStatus(q)))),
            "every job pending at the rotation completed");
        for (String phone : phones) {
          String texts = api.inbox(phone).encode();
          assertTrue(texts.contains("关联的互联网账号"), "the result text went out: " + texts);
        }
      }
    }
  }

  private static String newKey() {
    byte[] k = new byte[32];
    new SecureRandom().nextBytes(k);
    return Base64.getEncoder().encodeToString(k);
  }
}
