package org.yzt.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.Ids;
import org.yzt.contract.Addresses;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SmsInbox;
import org.yzt.testing.RedisServer;
import org.yzt.testing.SmsTestSupport;
import org.yzt.testing.Wait;

/**
 * {@code yzt.sms.send} end to end over real HTTP: SmsVerticle (two instances, one shared client)
 * signing requests to the SMS simulator, which verifies them. One deployment for the class.
 */
@ExtendWith(VertxExtension.class)
class SmsVerticleTest {
  private static RedisServer redis;
  private static AppContext ctx;
  private static SmsInbox inbox;
  private static org.yzt.testing.ClassLog log;
  /** Every number and text this class sent: none may show up in the log. */
  private static final List<String> secrets = new ArrayList<>();
  /** sms.codeDeliverySeconds here: not the default 5, so that the test sees the configured value used. */
  private static final int CODE_DELIVERY_SECONDS = 2;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    log = org.yzt.testing.ClassLog.start(SmsVerticleTest.class, Level.DEBUG); // the privacy check below reads the debug lines too
    redis = RedisServer.startNew();
    ctx = SmsTestSupport.deploy(vertx, redis, new JsonObject().put("sms", new JsonObject().put("timeoutMs", 800)
        .put("codeDeliverySeconds", CODE_DELIVERY_SECONDS)), 2);
    inbox = SmsTestSupport.inbox(ctx);
    // one text first, so that class loading and the first connection do not count in the timings below
    send(vertx, Ids.random128(), org.yzt.testing.Numbers.fresh(), text(), 10_000).await(15, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    try {
      // every text of every test, in whatever order they ran (the test below sweeps what was sent before it)
      assertNoNumberTextOrCodeInTheLog();
    } finally {
      log.close();
      if (redis != null) {
        redis.close();
      }
    }
  }

  @AfterEach
  void noFaultsLeft() {
    inbox.clearFaults();
  }

  private static Future<Message<JsonObject>> send(Vertx vertx, String messageId, String to, String text, long within) {
    secrets.add(to);
    keepSecret(text);
    JsonObject body = new JsonObject().put("messageId", messageId).put("to", to).put("text", text)
        .put("deliverWithinMs", within);
    return vertx.eventBus().request(Addresses.SMS_SEND, body, new DeliveryOptions().setSendTimeout(within + 10_000));
  }

  /** A text and, on its own, the code it carries: a line with the bare code must be caught too. */
  private static void keepSecret(String text) {
    secrets.add(text);
    java.util.regex.Matcher code = java.util.regex.Pattern.compile("验证码为(\\d{6})").matcher(text);
    if (code.find()) {
      secrets.add(code.group(1));
    }
  }

  private static String text() {
    return "【一证通查】您的验证码为" + String.format("%06d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000))
        + "，5分钟内有效，仅用于互联网账号查询，请勿告知他人。";
  }

  @Test
  void aTextArrivesAtTheSimulatorFromTheUnifiedSender(Vertx vertx) throws Exception {
    String id = Ids.random128();
    String phone = org.yzt.testing.Numbers.fresh();
    String text = text();
    JsonObject reply = send(vertx, id, phone, text, 5000).await(10, TimeUnit.SECONDS).body();
    assertEquals(new JsonObject().put("messageId", id).put("status", "QUEUED"), reply);

    JsonArray messages = vertx.eventBus().<JsonObject>request(Addresses.SIM_SMS_INBOX, new JsonObject().put("phone", phone))
        .await(5, TimeUnit.SECONDS).body().getJsonArray("messages");
    assertEquals(1, messages.size());
    JsonObject m = messages.getJsonObject(0);
    assertEquals(id, m.getString("messageId"));
    assertEquals("10699000", m.getString("sender"));
    assertEquals(text, m.getString("text"));
    assertTrue(Math.abs(Instant.parse(m.getString("receivedAt")).toEpochMilli() - System.currentTimeMillis()) < 10_000);
    assertEquals(1, inbox.requestsFor(id));
  }

  @Test
  void twoGatewayFailuresAreRetriedWithTheSameMessageIdAndDeliveredOnce(Vertx vertx) throws Exception {
    String id = Ids.random128();
    String phone = org.yzt.testing.Numbers.fresh();
    long before = inbox.requestCount();
    inbox.failNext(2, 503);
    long t0 = System.currentTimeMillis();
    JsonObject reply = send(vertx, id, phone, text(), 5000).await(10, TimeUnit.SECONDS).body();
    long took = System.currentTimeMillis() - t0;
    assertEquals("QUEUED", reply.getString("status"));
    assertEquals(id, reply.getString("messageId"));
    assertEquals(3, inbox.requestCount() - before, "three attempts reached the gateway");
    assertEquals(3, inbox.requestsFor(id), "all three carried the same messageId");
    assertEquals(1, inbox.messages(phone).size());
    // backoff ~200 ms then ~400 ms, ±20 %
    assertTrue(took >= 450 && took < 2000, "took " + took + " ms");
  }

  @Test
  void aTimedOutAttemptIsRetriedAndTheTextStoredOnce(Vertx vertx) throws Exception {
    String id = Ids.random128();
    String phone = org.yzt.testing.Numbers.fresh();
    long before = inbox.requestCount();
    inbox.stallNext(1, 1500); // longer than sms.timeoutMs 800
    JsonObject reply = send(vertx, id, phone, text(), 5000).await(10, TimeUnit.SECONDS).body();
    assertEquals("QUEUED", reply.getString("status"));
    // the stalled request's answer is done (after anything it would store), not merely a second later
    Wait.await(5_000, "both requests ended at the gateway", () -> inbox.endsFor(id) == 2);
    // counted at the gateway, before its de-duplication: the timed-out try and one retry, same id
    assertEquals(2, inbox.requestCount() - before, "requests that reached the gateway");
    assertEquals(2, inbox.requestsFor(id));
    assertEquals(1, inbox.messages(phone).size());
  }

  @Test
  void aPermanentRefusalFailsAtOnce(Vertx vertx) throws Exception {
    String id = Ids.random128();
    String phone = org.yzt.testing.Numbers.fresh();
    inbox.failNext(1, 400);
    long t0 = System.currentTimeMillis();
    Throwable t = SmsTestSupport.failure(send(vertx, id, phone, text(), 5000), 10);
    long took = System.currentTimeMillis() - t0;
    assertUnavailable(t, true);
    assertEquals(1, inbox.requestsFor(id), "no retry after a 400");
    assertTrue(inbox.messages(phone).isEmpty());
    assertTrue(took < 1000, "took " + took + " ms");
  }

  @Test
  void aGatewayThatStaysDownFailsAtTheDeadlineNotMuchLater(Vertx vertx) throws Exception {
    String id = Ids.random128();
    String phone = org.yzt.testing.Numbers.fresh();
    inbox.failNext(Integer.MAX_VALUE, 503);
    long t0 = System.currentTimeMillis();
    Throwable t = SmsTestSupport.failure(send(vertx, id, phone, text(), 2000), 10);
    long took = System.currentTimeMillis() - t0;
    inbox.clearFaults();
    assertUnavailable(t, false);
    assertTrue(took >= 1700 && took <= 2300, "failed after " + took + " ms, asked for 2000");
    int attempts = inbox.requestsFor(id);
    assertTrue(attempts >= 4 && attempts <= 6, attempts + " attempts"); // 0, ~200, ~600, ~1400, ~1900
    assertTrue(inbox.messages(phone).isEmpty());
  }

  @Test
  void malformedRequestsAreInvalidFieldAndNeverReachTheGateway(Vertx vertx) throws Exception {
    long before = inbox.requestCount();
    JsonObject good = new JsonObject().put("messageId", Ids.random128()).put("to", org.yzt.testing.Numbers.fresh())
        .put("text", "【一证通查】测试").put("deliverWithinMs", 5000);
    List<JsonObject> bad = List.of(
        good.copy().put("to", "1390000000"),
        good.copy().put("to", "1390000000a"),
        good.copy().put("to", 13900000000L),
        good.copy().put("to", "+8613900000000"),
        good.copy().put("text", ""),
        copyWithout(good, "text"),
        copyWithout(good, "messageId"),
        good.copy().put("messageId", 42),
        good.copy().put("messageId", "has space"),
        good.copy().put("deliverWithinMs", "5000"),
        good.copy().put("deliverWithinMs", 0),
        good.copy().put("deliverWithinMs", 1.5),
        new JsonObject());
    for (JsonObject body : bad) {
      Throwable t = SmsTestSupport.failure(vertx.eventBus().request(Addresses.SMS_SEND, body), 5);
      ReplyException re = assertInstanceOf(ReplyException.class, t, body.encode());
      assertEquals(400, re.failureCode(), body.encode());
      assertEquals("INVALID_FIELD", re.getMessage(), body.encode());
    }
    assertEquals(before, inbox.requestCount());
  }

  @Test
  void deliverWithinMsDefaultsToTheCodeDeliveryTime(Vertx vertx) throws Exception {
    String id = Ids.random128();
    String phone = org.yzt.testing.Numbers.fresh();
    String text = text();
    secrets.add(phone);
    keepSecret(text);
    JsonObject reply = vertx.eventBus().<JsonObject>request(Addresses.SMS_SEND,
        new JsonObject().put("messageId", id).put("to", phone).put("text", text)).await(10, TimeUnit.SECONDS).body();
    assertEquals("QUEUED", reply.getString("status"));

    // with the gateway down, a request that names no deliverWithinMs gives up after codeDeliverySeconds
    String down = Ids.random128();
    inbox.failNext(Integer.MAX_VALUE, 503);
    long t0 = System.currentTimeMillis();
    Throwable t = SmsTestSupport.failure(vertx.eventBus().request(Addresses.SMS_SEND,
        new JsonObject().put("messageId", down).put("to", phone).put("text", text),
        new DeliveryOptions().setSendTimeout(15_000)), 15);
    long took = System.currentTimeMillis() - t0;
    inbox.clearFaults();
    assertUnavailable(t, false);
    long within = CODE_DELIVERY_SECONDS * 1000L;
    assertTrue(took >= within - 300 && took <= within + 300, "gave up after " + took + " ms, expected " + within);
  }

  @Test
  void noNumberAndNoTextInTheLog() throws Exception {
    // the warm-up text of the class's setup at least, and whatever the tests that ran before sent
    assertNoNumberTextOrCodeInTheLog();
  }

  private static void assertNoNumberTextOrCodeInTheLog() {
    String content = log.text();
    assertFalse(secrets.isEmpty());
    assertTrue(secrets.stream().anyMatch(s -> s.length() == 6), "the codes of the texts are swept too");
    for (String s : secrets) {
      // as a token of its own: a 6-digit code may occur by chance inside a 13-digit timestamp
      assertFalse(java.util.regex.Pattern.compile("(?<![0-9A-Za-z])" + java.util.regex.Pattern.quote(s) + "(?![0-9A-Za-z])")
          .matcher(content).find(), "the log holds a number, a text or a code in clear");
    }
    // the masked form is what the debug lines carry
    String masked = org.yzt.privacy.Phone.mask(secrets.get(0));
    assertTrue(content.contains(masked), "expected the masked number " + masked + " in the debug log");
  }

  static void assertUnavailable(Throwable t, boolean permanent) {
    assertNotNull(t, "expected a failure");
    ReplyException re = assertInstanceOf(ReplyException.class, t);
    assertEquals(503, re.failureCode());
    assertEquals("SERVICE_UNAVAILABLE", re.getMessage());
    assertEquals(permanent, Failures.detailsOf(t).getBoolean("permanent"));
  }

  private static JsonObject copyWithout(JsonObject o, String key) {
    JsonObject c = o.copy();
    c.remove(key);
    return c;
  }
}
