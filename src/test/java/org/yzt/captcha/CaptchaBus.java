package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.yzt.bus.EventBusSetup;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;

/** Deploys the captcha verticle alone and talks to it over the event bus, from the test's own thread. */
final class CaptchaBus {
  private static final DeliveryOptions OPTIONS = new DeliveryOptions().setSendTimeout(5000);

  private CaptchaBus() {}

  /** The verticle as App deploys it (worker, here with two instances), on {@code config}. */
  static AppContext deploy(Vertx vertx, JsonObject config) {
    EventBusSetup.registerCodecs(vertx);
    AppContext ctx = new AppContext(vertx, config, new SimpleMeterRegistry());
    await(vertx.deployVerticle(() -> new CaptchaVerticle(ctx),
        new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER).setInstances(2)));
    return ctx;
  }

  static Future<Message<JsonObject>> send(Vertx vertx, String address, JsonObject body) {
    return vertx.eventBus().request(address, body, OPTIONS);
  }

  static JsonObject issue(Vertx vertx) {
    return await(send(vertx, Addresses.CAPTCHA_ISSUE, new JsonObject())).body();
  }

  static Future<Message<JsonObject>> verifyAsync(Vertx vertx, String captchaId, Object answer) {
    JsonObject body = new JsonObject();
    if (captchaId != null) {
      body.put("captchaId", captchaId);
    }
    if (answer != null) {
      body.put("answer", answer);
    }
    return send(vertx, Addresses.CAPTCHA_VERIFY, body);
  }

  static JsonObject verify(Vertx vertx, String captchaId, Object answer) {
    return await(verifyAsync(vertx, captchaId, answer)).body();
  }

  /** Asserts that the request fails with the given event-bus failure (SPEC §8: status and code). */
  static ReplyException fails(int status, String code, Future<?> request) {
    ReplyException e = assertThrows(ReplyException.class, () -> await(request));
    assertEquals(status, e.failureCode(), () -> "failure code for " + e.getMessage());
    assertEquals(code, e.getMessage());
    return e;
  }

  static void invalid(Vertx vertx, String captchaId, Object answer) {
    fails(400, "CAPTCHA_INVALID", verifyAsync(vertx, captchaId, answer));
  }

  static <T> T await(Future<T> f) {
    try {
      return f.await(10, TimeUnit.SECONDS);
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void assertEmptyReply(JsonObject reply) {
    assertTrue(reply != null && reply.isEmpty(), () -> "expected {}, got " + reply);
  }
}
