package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yzt.App;
import org.yzt.bus.EventBusSetup;
import org.yzt.runtime.AppContext;
import org.yzt.testing.Api;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * SPEC §2.5 on a node with the simulators off: {@code /ready} is 503 while the gateway is up but the
 * verticles it needs are not deployed yet, 200 once they are; {@code /dev/sms} is 404 throughout.
 */
class ReadinessAndDevRoutesTest {
  @Test
  void readyOnlyOnceEveryVerticleIsDeployedAndNoDevInboxWithoutSimulators() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject config = TestService.config(redis, new JsonObject()
          .put("simulators", new JsonObject().put("enabled", false)));
      Vertx vertx = Vertx.vertx();
      try {
        EventBusSetup.registerCodecs(vertx);
        AppContext ctx = new AppContext(vertx, config, new SimpleMeterRegistry());
        // the gateway first, as App deploys it, and nothing else yet
        vertx.deployVerticle(() -> new GatewayVerticle(ctx), new io.vertx.core.DeploymentOptions()).await(20, TimeUnit.SECONDS);
        Api api = new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(config.getJsonObject("http").getInteger("port"))));

        HttpResponse<Buffer> notYet = api.get("/ready");
        assertEquals(503, notYet.statusCode(), notYet.bodyAsString());
        assertEquals("DOWN", status(notYet.bodyAsJsonObject(), "verticles"), notYet.bodyAsString());
        assertEquals("UP", status(notYet.bodyAsJsonObject(), "redis"), "Redis answers: only the verticles are missing");
        assertDevInboxIsNotFound(api);

        new App(ctx).deploy().await(60, TimeUnit.SECONDS);
        HttpResponse<Buffer> ready = api.get("/ready");
        assertEquals(200, ready.statusCode(), ready.bodyAsString());
        assertDevInboxIsNotFound(api);
      } finally {
        vertx.close().await(20, TimeUnit.SECONDS);
      }
    }
  }

  private static void assertDevInboxIsNotFound(Api api) {
    HttpResponse<Buffer> inbox = api.get("/dev/sms?phone=13800138000");
    assertEquals(404, inbox.statusCode(), inbox.bodyAsString());
    assertEquals("NOT_FOUND", Api.errorCode(inbox));
  }

  /** The status of one check of a /ready answer. */
  private static String status(JsonObject ready, String id) {
    return ready.getJsonArray("checks").stream().map(JsonObject.class::cast)
        .filter(c -> id.equals(c.getString("id"))).findFirst().map(c -> c.getString("status")).orElse("absent");
  }
}
