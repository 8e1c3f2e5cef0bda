package org.yzt.sms;

import org.yzt.config.SmsConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.privacy.Ids;
import org.yzt.testing.SmsTestSupport;

/**
 * A gateway that answers one byte at a time never trips the HTTP client's timeout (each byte resets
 * it): the deadline still holds, and the connections are given back.
 */
@ExtendWith(VertxExtension.class)
class SmsSenderTrickleTest {
  private static final String WARM_UP = "13900000001";

  @Test
  void aTricklingGatewayCannotHoldATextPastItsDeadline(Vertx vertx) throws Exception {
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject sms = b.toJsonObject();
      if (WARM_UP.equals(sms.getString("to"))) {
        req.response().end(new JsonObject().put("messageId", sms.getString("messageId")).put("status", "QUEUED").encode());
        return;
      }
      requests.incrementAndGet();
      req.response().setChunked(true).setStatusCode(200);
      long id = vertx.setPeriodic(100, t -> req.response().write(" "));
      req.response().closeHandler(v -> {
        vertx.cancelTimer(id);
        closed.incrementAndGet();
      });
    })).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    SmsConfig config = SmsConfig.from(new JsonObject()
        .put("baseUrl", "http://127.0.0.1:" + server.actualPort() + "/gw")
        .put("keyId", "k").put("secret", "s").put("timeoutMs", 400));
    SmsSender sender = new SmsSender(vertx, new SmsGatewayClient(vertx, config), config, null, java.time.Clock.systemUTC());
    Context context = vertx.getOrCreateContext();

    // a first text warms the JVM and the client up, so that the timings below are the retry loop's
    assertEquals("QUEUED", send(context, sender, WARM_UP, 10_000).await(10, TimeUnit.SECONDS).getString("status"));

    long t0 = System.currentTimeMillis();
    Throwable t = SmsTestSupport.failure(send(context, sender, "13900000000", 2000), 10);
    long took = System.currentTimeMillis() - t0;
    SmsVerticleTest.assertUnavailable(t, false);
    assertTrue(took >= 1800 && took <= 2400, "failed after " + took + " ms, asked for 2000");
    assertTrue(requests.get() >= 2, requests.get() + " attempts");
    // each trickling answer was reset at its first byte past the timeout
    org.yzt.testing.Wait.waitUntil(2000, () -> closed.get() >= requests.get());
    assertEquals(requests.get(), closed.get(), "connections still held by the trickler");
    server.close().await(5, TimeUnit.SECONDS);
  }

  private static Future<JsonObject> send(Context context, SmsSender sender, String to, long within) {
    Promise<JsonObject> reply = Promise.promise();
    context.runOnContext(v -> sender.send(new JsonObject().put("messageId", Ids.random128()).put("to", to)
        .put("text", "t").put("deliverWithinMs", within)).onComplete(reply));
    return reply.future();
  }
}
