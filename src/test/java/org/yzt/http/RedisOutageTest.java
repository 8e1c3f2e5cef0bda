package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;

/** Redis goes away: every route that needs it answers 503 within 2 s, /ready says so, and all recovers. */
@ExtendWith(VertxExtension.class)
class RedisOutageTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  private static void assertUnavailableQuickly(HttpMethod method, String path, JsonObject body) {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = app.api().send(method, path, body == null ? null : "application/json",
        body == null ? null : body.toBuffer(), null);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(503, r.statusCode(), path + " " + r.bodyAsString());
    assertEquals("SERVICE_UNAVAILABLE", Api.errorCode(r));
    assertTrue(r.getHeader("Retry-After") != null);
    assertTrue(ms < 2000, path + " took " + ms + " ms");
  }

  @Test
  void unavailableWithinTwoSecondsThenRecovers() throws Exception {
    assertEquals(201, app.api().send(HttpMethod.POST, "/api/v1/captcha", null, null, null).statusCode());
    assertEquals(200, app.api().get("/ready").statusCode());

    app.redis().stop();
    assertUnavailableQuickly(HttpMethod.POST, "/api/v1/captcha", null);
    assertUnavailableQuickly(HttpMethod.POST, "/api/v1/sms-codes",
        new JsonObject().put("phone", "13800138000").put("captchaId", "x").put("captchaCode", "ABCD"));
    assertUnavailableQuickly(HttpMethod.POST, "/api/v1/queries", Api.query("13800138000", "12345X", "123456"));
    assertUnavailableQuickly(HttpMethod.GET, "/api/v1/queries/AAAAAAAAAAAAAAAAAAAAAA", null);
    long t0 = System.nanoTime();
    HttpResponse<Buffer> ready = app.api().get("/ready");
    assertEquals(503, ready.statusCode());
    assertTrue((System.nanoTime() - t0) / 1_000_000 < 2000);
    assertEquals(200, app.api().get("/health").statusCode(), "the process still runs");

    app.redis().start();
    int[] status = {0};
    org.yzt.testing.Wait.waitUntil(15_000, () -> (status[0] =
        app.api().send(HttpMethod.POST, "/api/v1/captcha", null, null, null).statusCode()) == 201);
    assertEquals(201, status[0], "captcha after Redis came back");
    assertEquals(200, app.api().get("/ready").statusCode());
    // a whole code round trip works again (scripts are reloaded after NOSCRIPT)
    String phone = "13900000001";
    assertEquals(202, app.api().requestCode(phone).statusCode());
  }
}
