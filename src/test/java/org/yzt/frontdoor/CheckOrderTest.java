package org.yzt.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * The order of the checks of SPEC §2.2 and §2.3, each seen from a client: per-IP limit before the
 * captcha, the captcha consumed before the per-phone limits, cooldown before the daily cap; the code
 * checked before the query window, and a window refusal that leaves the code alive.
 */
class CheckOrderTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("smsCode", new JsonObject().put("resendSeconds", 1).put("maxPerDay", 2))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("smsCodes", new JsonObject().put("max", 3).put("windowSeconds", 60)))));

  private static final AtomicInteger NEXT_IP = new AtomicInteger(10);

  /** A client of its own address, so that no two tests share a per-IP count. */
  private static Api client() {
    return app.api().as("198.51.100." + NEXT_IP.getAndIncrement());
  }

  private static HttpResponse<Buffer> askCode(Api api, String phone, String captchaId) {
    return api.postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone).put("captchaId", captchaId)
        .put("captchaCode", TestService.CAPTCHA));
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, Api.errorCode(r), r.bodyAsString());
    if (status == 429) {
      assertTrue(Long.parseLong(r.getHeader("Retry-After")) >= 1, "Retry-After " + r.getHeader("Retry-After"));
    }
  }

  @Test
  void thePerIpLimitOfSmsCodesComesBeforeTheCaptcha() {
    Api api = client();
    for (int i = 0; i < 3; i++) {
      assertEquals(202, api.requestCode(Numbers.fresh()).statusCode());
    }
    String captchaId = api.captchaId();
    HttpResponse<Buffer> limited = askCode(api, Numbers.fresh(), captchaId);
    assertError(limited, 429, "RATE_LIMITED");
    long retry = Long.parseLong(limited.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    // the refused request did not reach the captcha: it still opens, from another address
    assertEquals(202, askCode(client(), Numbers.fresh(), captchaId).statusCode());
  }

  @Test
  void aPerPhoneRefusalStillConsumesTheCaptcha() {
    Api api = client();
    String phone = Numbers.fresh();
    api.codeFor(phone);
    String captchaId = api.captchaId();
    assertError(askCode(api, phone, captchaId), 429, "SMS_CODE_TOO_FREQUENT");
    assertError(askCode(client(), Numbers.fresh(), captchaId), 400, "CAPTCHA_INVALID");
  }

  @Test
  void theCooldownIsCheckedBeforeTheDailyCap() throws Exception {
    Api api = client();
    String phone = Numbers.fresh();
    api.codeFor(phone);
    app.service().endCooldown(phone);
    api.codeFor(phone); // the second and last of the day (maxPerDay 2)
    HttpResponse<Buffer> cooling = api.requestCode(phone);
    assertError(cooling, 429, "SMS_CODE_TOO_FREQUENT");
    assertEquals("1", cooling.getHeader("Retry-After"));
    app.service().endCooldown(phone);
    HttpResponse<Buffer> capped = client().requestCode(phone);
    assertError(capped, 429, "SMS_CODE_DAILY_LIMIT");
    assertTrue(Long.parseLong(capped.getHeader("Retry-After")) > 86_000, capped.getHeader("Retry-After"));
  }

  @Test
  void theCodeIsCheckedBeforeTheWindowAndAWindowRefusalLeavesTheCode() {
    Api api = client();
    String phone = Numbers.fresh();
    String code = api.codeFor(phone);
    String wrong = code.equals("000000") ? "111111" : "000000";
    var keys = app.service().context().keys;
    String window = keys.queryWindow(keys.phoneToken(phone));
    app.redis().cli("SET", window, "another-query", "PX", "86400000"); // another node accepted one meanwhile

    HttpResponse<Buffer> bad = api.submit(phone, "12345X", wrong);
    assertError(bad, 400, "SMS_CODE_INVALID");
    assertEquals(4, bad.bodyAsJsonObject().getInteger("remainingAttempts"));
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> limited = api.submit(phone, "12345X", code);
      assertError(limited, 429, "QUERY_LIMIT"); // twice: the first refusal did not take the code
      assertTrue(Long.parseLong(limited.getHeader("Retry-After")) > 86_000);
    }
    // once the window is over, the same code is still good
    app.redis().cli("DEL", window);
    HttpResponse<Buffer> accepted = api.submit(phone, "12345X", code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
  }
}
