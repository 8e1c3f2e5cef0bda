package org.yzt.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.privacy.Ids;
import org.yzt.contract.Addresses;
import org.yzt.contract.Failures;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;

/**
 * SPEC §8: the documented failures of the event-bus API (README table), as another internal system
 * sees them: a ReplyException whose failure code is the HTTP status and whose message is the error
 * code, with retryAfterSeconds or remainingAttempts where the HTTP answer has them.
 */
class EventBusApiTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("smsCode", new JsonObject().put("resendSeconds", 1).put("maxPerDay", 2))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("smsCodes", new JsonObject().put("max", 3).put("windowSeconds", 60))
          .put("queries", new JsonObject().put("max", 3).put("windowSeconds", 60)))));

  private static Future<Message<JsonObject>> request(String address, JsonObject body) {
    return app.service().vertx().eventBus().request(address, body, new DeliveryOptions().setSendTimeout(10_000));
  }

  private static JsonObject ok(String address, JsonObject body) throws Exception {
    return request(address, body).await(15, TimeUnit.SECONDS).body();
  }

  /** The failure of the request, asserted to carry {@code status} and {@code code}; its details. */
  private static JsonObject fails(int status, String code, String address, JsonObject body) throws Exception {
    Future<Message<JsonObject>> f = request(address, body);
    Throwable t = f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await(15, TimeUnit.SECONDS);
    ReplyException re = assertInstanceOf(ReplyException.class, t, address + " " + body.encode() + " succeeded");
    assertEquals(status, re.failureCode(), address + ": " + re.getMessage());
    assertEquals(code, re.getMessage(), address);
    return Failures.detailsOf(re);
  }

  private static void takeWindow(String phone) {
    var keys = app.service().context().keys;
    app.redis().cli("SET", keys.queryWindow(keys.phoneToken(phone)), "another-query", "PX", "86400000");
  }

  private static String code(String phone) throws Exception {
    ok(Addresses.SMSCODE_SEND, new JsonObject().put("phone", phone));
    return app.api().latestCode(phone);
  }

  @Test
  void aPhoneCardQueryOnTheBusIsCheckedAsOverHttpAndAccepted() throws Exception {
    String phone = Numbers.fresh();
    String idNumber = Numbers.freshIdNumber();
    JsonObject body = new JsonObject().put("phone", phone).put("name", "张三").put("idNumber", idNumber)
        .put("smsCode", "123456").put("client", "203.0.113.40");
    fails(400, "INVALID_NAME", Addresses.CARDQUERY_SUBMIT, body.copy().put("name", "张"));
    fails(400, "INVALID_ID_NUMBER", Addresses.CARDQUERY_SUBMIT, body.copy().put("idNumber", "110105491231002"));
    JsonObject noClient = body.copy();
    noClient.remove("client");
    fails(400, "INVALID_FIELD", Addresses.CARDQUERY_SUBMIT, noClient);
    fails(400, "INVALID_FIELD", Addresses.SMSCODE_SEND, new JsonObject().put("phone", phone).put("purpose", "cars"));
    ok(Addresses.SMSCODE_SEND, new JsonObject().put("phone", phone).put("purpose", "cards"));
    fails(400, "SMS_CODE_EXPIRED", Addresses.QUERY_SUBMIT, new JsonObject().put("phone", phone).put("idLast6", "12345X")
        .put("smsCode", app.api().latestCode(phone)).put("client", "203.0.113.40"));
    JsonObject accepted = ok(Addresses.CARDQUERY_SUBMIT, body.put("smsCode", app.api().latestCode(phone)));
    assertEquals("ACCEPTED", accepted.getString("status"));
    assertNotNull(org.yzt.testing.Layout.shardOf(accepted.getString("queryId")), "a query id of one of the shards");
  }

  @Test
  void rateLimitAcquireRefusesOverTheBucketWithRetryAfter() throws Exception {
    JsonObject body = new JsonObject().put("bucket", "smsCodes").put("client", "203.0.113.7");
    for (int left = 2; left >= 0; left--) {
      assertEquals(new JsonObject().put("allowed", true).put("remaining", left), ok(Addresses.RATELIMIT_ACQUIRE, body));
    }
    long retry = fails(429, "RATE_LIMITED", Addresses.RATELIMIT_ACQUIRE, body).getLong(Failures.RETRY_AFTER);
    assertTrue(retry >= 1 && retry <= 60, "retryAfterSeconds " + retry);
    // another client has its own count
    ok(Addresses.RATELIMIT_ACQUIRE, body.copy().put("client", "203.0.113.8"));
  }

  @Test
  void smscodeSendRefusesByThePerPhoneLimits() throws Exception {
    String phone = Numbers.fresh();
    JsonObject body = new JsonObject().put("phone", phone);
    assertEquals(new JsonObject().put("expiresInSeconds", 300).put("resendAfterSeconds", 1), ok(Addresses.SMSCODE_SEND, body));
    assertEquals(1L, fails(429, "SMS_CODE_TOO_FREQUENT", Addresses.SMSCODE_SEND, body).getLong(Failures.RETRY_AFTER));
    app.service().endCooldown(phone);
    ok(Addresses.SMSCODE_SEND, body);
    app.service().endCooldown(phone);
    long day = fails(429, "SMS_CODE_DAILY_LIMIT", Addresses.SMSCODE_SEND, body).getLong(Failures.RETRY_AFTER);
    assertTrue(day > 86_000 && day <= 86_400, "retryAfterSeconds " + day);

    String queried = Numbers.fresh();
    takeWindow(queried);
    long window = fails(429, "QUERY_LIMIT", Addresses.SMSCODE_SEND, new JsonObject().put("phone", queried))
        .getLong(Failures.RETRY_AFTER);
    assertTrue(window > 86_000 && window <= 86_400, "retryAfterSeconds " + window);
    fails(400, "INVALID_PHONE", Addresses.SMSCODE_SEND, new JsonObject().put("phone", "12345"));
  }

  @Test
  void querySubmitRefusesAsTheHttpRouteDoes() throws Exception {
    String phone = Numbers.fresh();
    String code = code(phone);
    String wrong = code.equals("000000") ? "111111" : "000000";
    JsonObject body = new JsonObject().put("phone", phone).put("idLast6", "12345X").put("smsCode", wrong)
        .put("client", "203.0.113.20");
    assertEquals(4, fails(400, "SMS_CODE_INVALID", Addresses.QUERY_SUBMIT, body).getInteger(Failures.REMAINING_ATTEMPTS));
    fails(400, "SMS_CODE_EXPIRED", Addresses.QUERY_SUBMIT, body.copy().put("phone", Numbers.fresh())
        .put("client", "203.0.113.21"));

    // the first answer under an idempotency key; the key again with another body
    JsonObject keyed = body.copy().put("smsCode", code).put("client", "203.0.113.22")
        .put("idempotencyKey", "bus-" + Ids.hex(4)).put("bodyHash", "hash-one");
    JsonObject accepted = ok(Addresses.QUERY_SUBMIT, keyed);
    assertEquals("ACCEPTED", accepted.getString("status"));
    fails(409, "IDEMPOTENCY_KEY_REUSED", Addresses.QUERY_SUBMIT, keyed.copy().put("bodyHash", "hash-two"));

    String other = Numbers.fresh();
    String otherCode = code(other);
    takeWindow(other);
    long window = fails(429, "QUERY_LIMIT", Addresses.QUERY_SUBMIT, new JsonObject().put("phone", other)
        .put("idLast6", "12345X").put("smsCode", otherCode).put("client", "203.0.113.23")).getLong(Failures.RETRY_AFTER);
    assertTrue(window > 86_000 && window <= 86_400, "retryAfterSeconds " + window);

    JsonObject fromOneClient = new JsonObject().put("phone", Numbers.fresh()).put("idLast6", "12345X")
        .put("smsCode", "123456").put("client", "203.0.113.24");
    for (int i = 0; i < 3; i++) {
      fails(400, "SMS_CODE_EXPIRED", Addresses.QUERY_SUBMIT, fromOneClient);
    }
    long retry = fails(429, "RATE_LIMITED", Addresses.QUERY_SUBMIT, fromOneClient).getLong(Failures.RETRY_AFTER);
    assertTrue(retry >= 1 && retry <= 60, "retryAfterSeconds " + retry);
  }

  @Test
  void queryStatusOfAnUnknownIdIsNotFound() throws Exception {
    fails(404, "NOT_FOUND", Addresses.QUERY_STATUS, new JsonObject().put("queryId", Ids.random128()));
    fails(404, "NOT_FOUND", Addresses.QUERY_STATUS, new JsonObject().put("queryId", "not an id"));
    fails(404, "NOT_FOUND", Addresses.QUERY_STATUS, new JsonObject());
  }
}
