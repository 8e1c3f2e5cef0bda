package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.ServiceExtension;

/**
 * {@code GET /api/v1/page-config}: the figures the page states (its notice and hints), the sender it
 * names and the operator's contact come from the same records the services run with, so a
 * configuration that changes one changes what the page says.
 */
class PageConfigTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("captcha", new JsonObject().put("ttlSeconds", 90))
      .put("smsCode", new JsonObject().put("ttlSeconds", 240))
      .put("limits", new JsonObject().put("queryWindowSeconds", 7200))
      .put("pipeline", new JsonObject().put("deadlineSeconds", 3600))
      .put("sms", new JsonObject().put("sender", "10699001"))
      .put("page", new JsonObject().put("operatorContact", new JsonObject()
          .put("name", "运营方").put("phone", "").put("email", "ops@example.invalid").put("hours", "").put("fax", "010"))));

  @Test
  void thePageSaysWhatTheServiceIsConfiguredWith() {
    HttpResponse<Buffer> r = app.api().get("/api/v1/page-config");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(new JsonObject().put("captchaSeconds", 90).put("smsCodeSeconds", 240).put("queryWindowSeconds", 7200)
        .put("deadlineSeconds", 3600), body.getJsonObject("retention"));
    assertEquals("10699001", body.getString("sender"));
    // only what the operator filled in, any text key kept
    assertEquals(new JsonObject().put("name", "运营方").put("email", "ops@example.invalid").put("fax", "010"),
        body.getJsonObject("operatorContact"));
  }
}
