package org.yzt.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.privacy.Ids;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SmsInbox;
import org.yzt.testing.ReadsOfClock;
import org.yzt.testing.RedisServer;
import org.yzt.testing.SmsTestSupport;

/**
 * A long retry run (the pipeline's result texts may retry for 49 hours) is only a timer between
 * attempts: undeploying the verticle cancels it, answers the caller at once (transient, so the
 * pipeline resumes it later) and no further attempt reaches the gateway. Retries here come every
 * {@value #RETRY_MS} ms (±20 %); an attempt reads the node's clock first thing, on the sender's own event
 * loop, which is how the test sees one without waiting for it to reach the gateway.
 */
@ExtendWith(VertxExtension.class)
class SmsVerticleStopTest {
  private static RedisServer redis;
  private static AppContext ctx;
  private static SmsInbox inbox;
  private static String deployment;
  static final long RETRY_MS = 300;
  /** Counts the clock reads of the SMS sender: each attempt, each retry scheduled. */
  private static final ReadsOfClock clock = new ReadsOfClock(SmsSender.class);

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    redis = RedisServer.startNew();
    ctx = SmsTestSupport.deploy(vertx, redis, new JsonObject().put("sms", new JsonObject()
        .put("retryInitialMs", RETRY_MS).put("retryMaxMs", RETRY_MS)), 0, clock);
    inbox = SmsTestSupport.inbox(ctx);
    deployment = vertx.deployVerticle(() -> new SmsVerticle(ctx), new DeploymentOptions()).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void undeployingEndsALongRetryRunAtOnce(Vertx vertx) throws Exception {
    inbox.failNext(Integer.MAX_VALUE, 503);
    String id = Ids.random128();
    Future<Message<JsonObject>> reply = vertx.eventBus().request(Addresses.SMS_SEND,
        new JsonObject().put("messageId", id).put("to", org.yzt.testing.Numbers.fresh()).put("text", "【一证通查】结果")
            .put("deliverWithinMs", 3_600_000L),
        new DeliveryOptions().setSendTimeout(3_700_000L));
    assertTrue(org.yzt.testing.Wait.waitUntil(5000, () -> inbox.requestsFor(id) >= 3), "three attempts");
    assertTrue(!reply.isComplete(), "still retrying within its hour");

    long t0 = System.currentTimeMillis();
    vertx.undeploy(deployment).await(5, TimeUnit.SECONDS);
    Throwable t = SmsTestSupport.failure(reply, 5);
    assertTrue(System.currentTimeMillis() - t0 < 2000);
    SmsVerticleTest.assertUnavailable(t, false);

    // a retry left behind was set on the sender's event loop before the stop, due within RETRY_MS * 1.2;
    // a timer set there now for longer fires after it (one loop runs its timers in due order), and the
    // attempt it would have started reads the clock before anything else
    int reads = clock.reads();
    long seen = inbox.requestCount();
    Context sender = clock.lastContext();
    assertNotNull(sender, "the sender read the clock on its event loop");
    Promise<Integer> later = Promise.promise();
    sender.runOnContext(v -> vertx.setTimer(RETRY_MS * 6 / 5 + 50, timer -> later.complete(clock.reads())));
    assertEquals(reads, later.future().await(5, TimeUnit.SECONDS), "no attempt after the verticle stopped");
    assertEquals(seen, inbox.requestCount(), "no attempt reached the gateway after the verticle stopped");
    inbox.clearFaults();
  }
}
