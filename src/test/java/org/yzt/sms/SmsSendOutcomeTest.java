package org.yzt.sms;

import org.yzt.config.SmsConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.yzt.contract.Failures;
import org.yzt.contract.SmsSend;
import org.yzt.testing.RedisServer;
import org.yzt.testing.SmsTestSupport;

/**
 * SPEC §10: a failed text says whether it can have gone out. Only a definite refusal (nothing
 * listening, or a 4xx other than 408/429) is "nothing sent"; a timeout, a 5xx, a 408/429 or a
 * malformed answer may have let it out.
 */
@ExtendWith(VertxExtension.class)
class SmsSendOutcomeTest {
  @Test
  void onlyADefiniteRefusalMeansNothingWasSent(Vertx vertx) throws Exception {
    AtomicInteger status = new AtomicInteger();
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      int s = status.get();
      if (s == 0) {
        return; // never answers: the client times out
      }
      String body = s == 200 ? "{\"status\":\"ODD\"}" : "{}";
      req.response().setStatusCode(s).end(body);
    })).listen(0, "127.0.0.1").await(5, TimeUnit.SECONDS);
    Context context = vertx.getOrCreateContext();
    SmsSender sender = sender(vertx, server.actualPort());
    // a first exchange warms the JVM and the connection up, so no answer below misses the timeout
    status.set(503);
    failure(context, sender);

    for (int definite : new int[] {400, 401, 403, 404, 422}) {
      status.set(definite);
      assertTrue(SmsSend.Failure.nothingSent(failure(context, sender)), "HTTP " + definite);
    }
    for (int doubtful : new int[] {0, 200, 408, 429, 500, 503}) {
      status.set(doubtful);
      assertFalse(SmsSend.Failure.nothingSent(failure(context, sender)), "HTTP " + doubtful + " (0: no answer)");
    }
    server.close().await(5, TimeUnit.SECONDS);

    // nothing listening: the connection is refused before anything is written
    SmsSender refused = sender(vertx, 1); // port 1: nothing listens (a freed port may be taken again at once)
    Throwable t = failure(context, refused);
    assertTrue(SmsSend.Failure.nothingSent(t), String.valueOf(t));
    assertEquals(Boolean.FALSE, Failures.detailsOf(t).getBoolean(SmsSend.Failure.MAYBE_SENT));
  }

  private static SmsSender sender(Vertx vertx, int port) {
    SmsConfig config = SmsConfig.from(new JsonObject()
        .put("baseUrl", "http://127.0.0.1:" + port + "/gw")
        .put("keyId", "k").put("secret", "s").put("timeoutMs", 500).put("retryInitialMs", 20));
    return new SmsSender(vertx, new SmsGatewayClient(vertx, config), config, null, java.time.Clock.systemUTC());
  }

  private static Throwable failure(Context context, SmsSender sender) throws Exception {
    Promise<JsonObject> reply = Promise.promise();
    context.runOnContext(v -> sender.send(new JsonObject().put("messageId", Ids.random128()).put("to", "13900000000")
        .put("text", "t").put("deliverWithinMs", 700)).onComplete(reply));
    Future<JsonObject> f = reply.future();
    Throwable t = SmsTestSupport.failure(f, 10);
    assertTrue(t != null, "the text should have failed");
    return t;
  }
}
