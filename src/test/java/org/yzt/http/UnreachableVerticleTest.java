package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.privacy.Ids;
import org.yzt.contract.Addresses;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §2.6: when a verticle a route needs is unreachable, the route answers 503 SERVICE_UNAVAILABLE
 * within 2 s: here a node with the gateway role alone (nothing handles the addresses it calls), and
 * the same node with a handler that takes a request and never answers.
 */
class UnreachableVerticleTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("node", new JsonObject().put("roles", new JsonArray().add("gateway"))));

  static void unavailableWithin2s(String what, Supplier<HttpResponse<Buffer>> call) {
    long t0 = System.nanoTime();
    HttpResponse<Buffer> r = call.get();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(503, r.statusCode(), what + ": " + r.bodyAsString());
    assertEquals("SERVICE_UNAVAILABLE", Api.errorCode(r), what);
    assertTrue(ms < 2_000, what + " answered after " + ms + " ms");
  }

  @Test
  void noVerticleBehindARouteIs503Within2s() {
    Api api = app.api();
    unavailableWithin2s("captcha", () -> api.postJson("/api/v1/captcha", null));
    unavailableWithin2s("sms-codes", () -> api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", "13912345678").put("captchaId", Ids.random128()).put("captchaCode", TestService.CAPTCHA)));
    unavailableWithin2s("queries", () -> api.submit("13912345678", "123456", "123456"));
    unavailableWithin2s("query status", () -> api.get("/api/v1/queries/" + Ids.random128()));
  }

  @Test
  void aVerticleThatNeverAnswersIs503Within2s() throws Exception {
    // takes every request and answers none, as a verticle stuck on a dead connection would
    MessageConsumer<JsonObject> issue = app.service().vertx().eventBus().consumer(Addresses.CAPTCHA_ISSUE, m -> { });
    MessageConsumer<JsonObject> status = app.service().vertx().eventBus().consumer(Addresses.QUERY_STATUS, m -> { });
    try {
      issue.completion().await(5, java.util.concurrent.TimeUnit.SECONDS);
      status.completion().await(5, java.util.concurrent.TimeUnit.SECONDS);
      unavailableWithin2s("captcha", () -> app.api().postJson("/api/v1/captcha", null));
      unavailableWithin2s("query status", () -> app.api().get("/api/v1/queries/" + Ids.random128()));
    } finally {
      issue.unregister();
      status.unregister();
    }
  }
}
