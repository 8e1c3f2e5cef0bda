package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;

/**
 * {@code POST /api/v1/captcha} on standalone with no captcha ready (pools of size 0): the per-IP limits go
 * first on their own (CaptchaLimits.acquire, the script with no captcha to store), and only a request they
 * let through has its image rendered, so that a flood from one address past its limit costs no rendering.
 */
class CaptchaEmptyPoolLimitsTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("captcha", new JsonObject().put("poolSize", 0).put("audioPoolSize", 0))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("captcha", new JsonObject().put("max", 2).put("windowSeconds", 600)))));

  private static double rendered() {
    return app.service().context().metrics.get("yzt.captcha.pool.misses").counter().count();
  }

  @Test
  void pastItsLimitARequestIsRefusedBeforeAnythingIsRendered() {
    Api api = app.api().as("198.51.100.21");
    double before = rendered();
    for (int i = 0; i < 2; i++) {
      HttpResponse<Buffer> issued = api.send(HttpMethod.POST, "/api/v1/captcha", null, null, null);
      assertEquals(201, issued.statusCode(), issued.bodyAsString());
      assertTrue(issued.bodyAsJsonObject().getString("image").startsWith("data:image/png;base64,"));
    }
    assertEquals(before + 2, rendered(), "rendered on demand, one each");
    HttpResponse<Buffer> refused = api.send(HttpMethod.POST, "/api/v1/captcha", null, null, null);
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("RATE_LIMITED", Api.errorCode(refused));
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry > 500 && retry <= 600, "Retry-After " + retry);
    assertEquals(before + 2, rendered(), "nothing rendered for the refused request");
    // another address is served
    assertEquals(201, app.api().as("198.51.100.22").send(HttpMethod.POST, "/api/v1/captcha", null, null, null)
        .statusCode());
  }
}
