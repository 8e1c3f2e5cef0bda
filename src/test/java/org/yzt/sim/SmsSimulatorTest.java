package org.yzt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.privacy.Ids;
import org.yzt.partner.RequestSigner;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;
import org.yzt.testing.RedisServer;
import org.yzt.testing.SmsTestSupport;

/** The SMS simulator over real HTTP, with signatures made here the way a peer makes them. */
@ExtendWith(VertxExtension.class)
class SmsSimulatorTest {
  private static final String PATH = "/sms/v1/sms";
  private static RedisServer redis;
  private static AppContext ctx;
  private static SmsInbox inbox;
  private static WebClient client;
  private static int port;
  private static String keyId;
  private static String secret;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    redis = RedisServer.startNew();
    ctx = SmsTestSupport.deploy(vertx, redis, null, 0);
    inbox = SmsTestSupport.inbox(ctx);
    client = WebClient.create(vertx);
    port = ctx.section("simulators").getInteger("port");
    keyId = ctx.section("sms").getString("keyId");
    secret = ctx.section("sms").getString("secret");
  }

  @AfterAll
  static void stop() {
    if (redis != null) {
      redis.close();
    }
  }

  private static JsonObject sms(String messageId, String to, String text) {
    return new JsonObject().put("messageId", messageId).put("sender", "10699000").put("to", to).put("text", text);
  }

  /** POSTs {@code body} to {@code path}, signed over {@code signedPath} with the given key, secret and timestamp. */
  private static HttpResponse<Buffer> post(String path, String signedPath, Buffer body, String keyId, String secret,
      long timestamp) throws Exception {
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String nonce = Ids.hex(16);
    String ts = Long.toString(timestamp);
    headers.set(RequestSigner.KEY_ID, keyId).set(RequestSigner.TIMESTAMP, ts).set(RequestSigner.NONCE, nonce)
        .set(RequestSigner.SIGNATURE, new RequestSigner(keyId, secret).signature("POST", signedPath, ts, nonce, body))
        .set("Content-Type", "application/json");
    return client.post(port, "127.0.0.1", path).putHeaders(headers).sendBuffer(body).await(5, TimeUnit.SECONDS);
  }

  private static HttpResponse<Buffer> post(JsonObject body) throws Exception {
    return post(PATH, PATH, body.toBuffer(), keyId, secret, System.currentTimeMillis());
  }

  private static List<JsonObject> inboxOf(Vertx vertx, String phone) throws Exception {
    JsonArray a = vertx.eventBus().<JsonObject>request(Addresses.SIM_SMS_INBOX, new JsonObject().put("phone", phone))
        .await(5, TimeUnit.SECONDS).body().getJsonArray("messages");
    return a.stream().map(JsonObject.class::cast).toList();
  }

  private static void assertUnauthorized(HttpResponse<Buffer> r) {
    assertEquals(401, r.statusCode());
    assertEquals("UNAUTHORIZED", r.bodyAsJsonObject().getJsonObject("error").getString("code"));
  }

  @Test
  void aSignedTextIsQueuedAndStored(Vertx vertx) throws Exception {
    String phone = org.yzt.testing.Numbers.fresh();
    String id = Ids.random128();
    HttpResponse<Buffer> r = post(sms(id, phone, "【一证通查】你好"));
    assertEquals(200, r.statusCode());
    assertEquals(new JsonObject().put("messageId", id).put("status", "QUEUED"), r.bodyAsJsonObject());
    List<JsonObject> got = inboxOf(vertx, phone);
    assertEquals(1, got.size());
    assertEquals("【一证通查】你好", got.get(0).getString("text"));
    assertEquals("10699000", got.get(0).getString("sender"));
  }

  @Test
  void badSignaturesAndStaleTimestampsAre401(Vertx vertx) throws Exception {
    String phone = org.yzt.testing.Numbers.fresh();
    Buffer body = sms(Ids.random128(), phone, "【一证通查】x").toBuffer();
    long now = System.currentTimeMillis();
    long sixMinutes = 6 * 60 * 1000L;
    assertUnauthorized(post(PATH, PATH, body, keyId, "wrong-secret", now));
    assertUnauthorized(post(PATH, PATH, body, "another-key", secret, now));
    assertUnauthorized(post(PATH, PATH, body, keyId, secret, now - sixMinutes));
    assertUnauthorized(post(PATH, PATH, body, keyId, secret, now + sixMinutes));
    // signed over a path without the base path, or over another body
    assertUnauthorized(post(PATH, "/v1/sms", body, keyId, secret, now));
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    new RequestSigner(keyId, secret).sign(headers, "POST", PATH, body);
    HttpResponse<Buffer> tampered = client.post(port, "127.0.0.1", PATH).putHeaders(headers)
        .sendBuffer(sms(Ids.random128(), phone, "【一证通查】y").toBuffer()).await(5, TimeUnit.SECONDS);
    assertUnauthorized(tampered);
    // no headers at all
    assertUnauthorized(client.post(port, "127.0.0.1", PATH).sendBuffer(body).await(5, TimeUnit.SECONDS));
    // a timestamp 4 minutes off is still fine
    assertEquals(200, post(PATH, PATH, body, keyId, secret, now - 4 * 60 * 1000L).statusCode());
    assertEquals(1, inboxOf(vertx, phone).size());
  }

  @Test
  void malformedBodiesAre400() throws Exception {
    String phone = org.yzt.testing.Numbers.fresh();
    long before = inbox.requestCount();
    assertEquals(400, post(PATH, PATH, Buffer.buffer("not json"), keyId, secret, System.currentTimeMillis()).statusCode());
    assertEquals(400, post(sms(Ids.random128(), "1390000000", "t")).statusCode());
    assertEquals(400, post(sms(Ids.random128(), phone, "")).statusCode());
    assertEquals(400, post(sms(Ids.random128(), phone, "t").put("sender", "10690000")).statusCode());
    JsonObject noId = sms("x", phone, "t");
    noId.remove("messageId");
    assertEquals(400, post(noId).statusCode());
    assertEquals(before, inbox.requestCount());
    assertEquals(0, inbox.messages(phone).size());
  }

  @Test
  void aRepeatedMessageIdIsStoredOnce(Vertx vertx) throws Exception {
    String phone = org.yzt.testing.Numbers.fresh();
    String id = Ids.random128();
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = post(sms(id, phone, "【一证通查】同一条"));
      assertEquals(200, r.statusCode());
      assertEquals("QUEUED", r.bodyAsJsonObject().getString("status"));
    }
    assertEquals(1, inboxOf(vertx, phone).size());
    assertEquals(3, inbox.requestsFor(id));
  }

  @Test
  void theInboxIsNewestFirst(Vertx vertx) throws Exception {
    String phone = org.yzt.testing.Numbers.fresh();
    for (int i = 1; i <= 3; i++) {
      assertEquals(200, post(sms(Ids.random128(), phone, "【一证通查】第" + i + "条")).statusCode());
    }
    List<JsonObject> got = inboxOf(vertx, phone);
    assertEquals(List.of("【一证通查】第3条", "【一证通查】第2条", "【一证通查】第1条"),
        got.stream().map(m -> m.getString("text")).toList());
    assertEquals(List.of(), inboxOf(vertx, org.yzt.testing.Numbers.fresh()));
    ReplyException noPhone = assertInstanceOf(ReplyException.class,
        SmsTestSupport.failure(vertx.eventBus().request(Addresses.SIM_SMS_INBOX, new JsonObject()), 5));
    assertEquals(400, noPhone.failureCode());
    assertEquals("INVALID_FIELD", noPhone.getMessage());
  }

  @Test
  void injectedFaultsAnswerTheirStatusThenStop() throws Exception {
    String phone = org.yzt.testing.Numbers.fresh();
    String id = Ids.random128();
    inbox.failNext(2, 503);
    assertEquals(503, post(sms(id, phone, "【一证通查】z")).statusCode());
    assertEquals(503, post(sms(id, phone, "【一证通查】z")).statusCode());
    assertTrue(inbox.messages(phone).isEmpty());
    assertEquals(200, post(sms(id, phone, "【一证通查】z")).statusCode());
    assertEquals(1, inbox.messages(phone).size());
  }
}
