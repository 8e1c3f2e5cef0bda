package org.yzt.smscode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ClassLog;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisSetExtension;
import org.yzt.testing.TestService;

/**
 * The code step of a Redis Cluster (ClientSlotCodeStep: lua/code_gate.lua, the per-IP limit and the captcha in
 * one script) answers, counts and logs as the separate steps do (SPEC §2.2): a client over
 * {@code limits.perIp.smsCodes} is refused with 429 and Retry-After, a right captcha is counted as verified,
 * a wrong one logs the security line. RedisClusterCostTest counts its round trips.
 */
class ClusterCodeGateTest {
  private static final int LIMIT = 2;

  // the pipeline off (nothing of it is looked at); clients named by X-Forwarded-For
  @RegisterExtension
  static final RedisSetExtension<RedisClusterSet> app = RedisSetExtension.cluster(new JsonObject()
      .put("verticles", new JsonObject().put("pipeline", new JsonObject().put("instances", 0)))
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("smsCodes", new JsonObject().put("max", LIMIT).put("windowSeconds", 600)))));

  private static HttpResponse<Buffer> code(Api api, String captchaId, String answer) {
    return api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", Numbers.fresh()).put("captchaId", captchaId).put("captchaCode", answer));
  }

  @Test
  void aClientOverItsCodeLimitIsRefusedWithRetryAfter() {
    Api api = app.api().as("198.51.100.81");
    String captcha = api.captchaId();
    for (int i = 0; i < LIMIT; i++) {
      HttpResponse<Buffer> r = code(api, captcha, "WRONG1"); // counted, then the captcha refused (and used up)
      assertEquals(400, r.statusCode(), r.bodyAsString());
      assertEquals("CAPTCHA_INVALID", Api.errorCode(r));
    }
    HttpResponse<Buffer> over = code(api, api.captchaId(), TestService.CAPTCHA);
    assertEquals(429, over.statusCode(), over.bodyAsString());
    assertEquals("RATE_LIMITED", Api.errorCode(over));
    String retryAfter = over.getHeader("Retry-After");
    assertNotNull(retryAfter, "Retry-After");
    long seconds = Long.parseLong(retryAfter);
    assertTrue(seconds >= 1 && seconds <= 600, retryAfter);
    // another client is not refused
    Api other = app.api().as("198.51.100.82");
    HttpResponse<Buffer> ok = code(other, other.captchaId(), TestService.CAPTCHA);
    assertEquals(202, ok.statusCode(), ok.bodyAsString());
  }

  @Test
  void aRightCaptchaIsCountedAsVerified() {
    Api api = app.api().as("198.51.100.83");
    String verified = "yzt_captcha_verified_total\\{[^}]*result=\"ok\"[^}]*\\}";
    double before = api.metric(verified);
    HttpResponse<Buffer> r = code(api, api.captchaId(), TestService.CAPTCHA);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    assertEquals(1.0, api.metric(verified) - (Double.isNaN(before) ? 0 : before), "verified captchas counted");
  }

  @Test
  void aWrongCaptchaLogsTheSecurityLine() {
    Api api = app.api().as("198.51.100.84");
    String captcha = api.captchaId();
    String phone = Numbers.fresh();
    try (ClassLog log = ClassLog.start(ClusterCodeGateTest.class, null)) {
      HttpResponse<Buffer> r = api.postJson("/api/v1/sms-codes", new JsonObject()
          .put("phone", phone).put("captchaId", captcha).put("captchaCode", "WRONG1"));
      assertEquals(400, r.statusCode(), r.bodyAsString());
      String requestId = r.getHeader("X-Request-Id");
      assertNotNull(requestId, "X-Request-Id");
      String text = log.text();
      String line = text.lines().filter(l -> l.contains("security.captcha_invalid")).findFirst().orElse("");
      assertFalse(line.isEmpty(), "the security line: " + text);
      assertTrue(line.contains(requestId), "the line names the request: " + line);
      assertFalse(text.contains(phone), "no number in the log");
    }
  }
}
