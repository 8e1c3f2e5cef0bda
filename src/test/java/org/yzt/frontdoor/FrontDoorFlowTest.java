package org.yzt.frontdoor;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.OpenApiCheck;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * A person's way through the front door: captcha, code (read from the dev inbox), query; and every
 * limit on that way. Each test has its own numbers and its own client address; the privacy sweep
 * (the whole Redis store and the log, for personal data) is a test of its own, which makes a query
 * first, and runs again after all the tests, over everything each of them used.
 */
@ExtendWith(VertxExtension.class)
class FrontDoorFlowTest {
  static RedisServer redis;
  static TestService service;
  /** Every number, ID and code this class used: none may be found in clear in Redis or the log. */
  static final Set<String> secrets = ConcurrentHashMap.newKeySet();
  /** What this class logged, at DEBUG (the sweep below reads the debug lines too). */
  static org.yzt.testing.ClassLog log;
  static final String PROBE = "front-door-log-probe-" + System.nanoTime();

  @BeforeAll
  static void start() throws Exception {
    log = org.yzt.testing.ClassLog.start(FrontDoorFlowTest.class, ch.qos.logback.classic.Level.DEBUG);
    // a DEBUG line from the front door's own logger: the sweep must find it, or it reads too little
    org.slf4j.LoggerFactory.getLogger(QueryService.class).debug(PROBE);
    redis = RedisServer.startNew();
    service = TestService.start(redis, new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))));
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      // everything every test used, in whatever order they ran (the test's sweep reads what ran before it)
      assertNoPersonalDataInRedisOrTheLog();
    } finally {
      service.close();
      redis.close();
      log.close();
    }
  }

  /** Client addresses, one per client, so that no test shares another's per-address limits. */
  private static final java.util.concurrent.atomic.AtomicInteger NEXT_CLIENT = new java.util.concurrent.atomic.AtomicInteger();

  /** A client of an address of its own (203.0.113.0/24; the tests below spell out 198.51.100.x ones). */
  private static Api client() {
    return new Api(service).as("203.0.113." + (NEXT_CLIENT.incrementAndGet() % 254 + 1));
  }

  private static String number() {
    String n = Numbers.fresh();
    secrets.add(n);
    return n;
  }

  private static String code(Api api, String phone) {
    String c = api.codeFor(phone);
    secrets.add(c);
    return c;
  }

  @Test
  void acceptedQueryIsStoredAndItsStatusReadable() {
    Api api = client();
    String phone = number();
    HttpResponse<Buffer> sent = api.requestCode(phone);
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    assertEquals(new JsonObject().put("expiresInSeconds", 300).put("resendAfterSeconds", 60), sent.bodyAsJsonObject());
    JsonObject text = api.inbox(phone).getJsonObject(0);
    assertEquals("10699000", text.getString("sender"));
    String code = api.latestCode(phone);
    secrets.add(code);
    assertEquals("【一证通查】您的验证码为" + code + "，5分钟内有效，仅用于互联网账号查询，请勿告知他人。", text.getString("text"));

    secrets.add("48213X");
    HttpResponse<Buffer> accepted = api.submit(phone, "48213x", code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    JsonObject a = accepted.bodyAsJsonObject();
    assertEquals(Set.of("queryId", "status", "senderNumber", "deadline"), a.fieldNames());
    assertEquals("ACCEPTED", a.getString("status"));
    assertEquals("10699000", a.getString("senderNumber"));
    Duration untilDeadline = Duration.between(Instant.now(), Instant.parse(a.getString("deadline")));
    assertTrue(Math.abs(untilDeadline.toHours() - 48) <= 1, "deadline " + a.getString("deadline"));
    assertEquals("no-store", accepted.getHeader("Cache-Control"));

    HttpResponse<Buffer> status = api.get("/api/v1/queries/" + a.getString("queryId"));
    assertEquals(200, status.statusCode());
    JsonObject s = status.bodyAsJsonObject();
    assertEquals(Set.of("queryId", "status", "createdAt", "updatedAt", "deadline"), s.fieldNames());
    assertTrue(Set.of("ACCEPTED", "VERIFYING", "QUERYING", "NOTIFYING", "DONE", "FAILED").contains(s.getString("status")));
    assertEquals(a.getString("deadline"), s.getString("deadline"));
    // the job is durable: its record is in Redis (the pipeline may already have taken its stream entry)
    assertEquals("1", redis.cli("EXISTS", Layout.job(a.getString("queryId"))).trim());
    // and it expires 7 days after its deadline (SPEC §2.4, §9)
    // (PTTL rather than PEXPIRETIME, which needs Redis 7)
    long expireAt = System.currentTimeMillis() + Long.parseLong(redis.cli("PTTL", Layout.job(a.getString("queryId"))).trim());
    long expected = Instant.parse(a.getString("deadline")).toEpochMilli() + Duration.ofDays(7).toMillis();
    assertTrue(Math.abs(expireAt - expected) < 2_000, "job expires at " + expireAt + ", deadline + 7 days is " + expected);
  }

  @Test
  void aJobThatNeverMovedIsReadableWithoutItsUpdateTime() {
    // a job as a submission that stops writing 'ua' (it equals 'ca' until the job moves) leaves it
    String id = "AAAAAAAAAAAAAAAAAAAAAA";
    redis.cli("HSET", Layout.job(id), "st", "ACCEPTED", "ca", "1796270400000", "dl", "1796443200000");
    try {
      HttpResponse<Buffer> status = client().get("/api/v1/queries/" + id);
      assertEquals(200, status.statusCode(), status.bodyAsString());
      JsonObject s = status.bodyAsJsonObject();
      assertEquals("ACCEPTED", s.getString("status"));
      assertEquals("2026-12-03T04:00:00Z", s.getString("createdAt"));
      assertEquals(s.getString("createdAt"), s.getString("updatedAt"));
      assertEquals("2026-12-05T04:00:00Z", s.getString("deadline"));
    } finally {
      redis.cli("DEL", Layout.job(id));
    }
  }

  @Test
  void wrongCodesCountDownThenTheCodeIsBurned() {
    Api api = client();
    String phone = number();
    String good = code(api, phone);
    String wrong = good.equals("000000") ? "111111" : "000000";
    for (int left = 4; left >= 0; left--) {
      HttpResponse<Buffer> r = api.submit(phone, "12345X", wrong);
      assertEquals(400, r.statusCode());
      assertEquals("SMS_CODE_INVALID", Api.errorCode(r));
      assertEquals(left, r.bodyAsJsonObject().getInteger("remainingAttempts"));
    }
    HttpResponse<Buffer> after = api.submit(phone, "12345X", good);
    assertEquals(400, after.statusCode());
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(after));
  }

  @Test
  void aCodeIsRefusedWithoutTheRightCaptchaAndACaptchaIsSingleUse() {
    Api api = client();
    String phone = number();
    HttpResponse<Buffer> wrong = api.postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone)
        .put("captchaId", api.captchaId()).put("captchaCode", "ZZZZ"));
    assertEquals("CAPTCHA_INVALID", Api.errorCode(wrong));
    String captchaId = api.captchaId();
    JsonObject body = new JsonObject().put("phone", phone).put("captchaId", captchaId).put("captchaCode", "yzt8");
    assertEquals(202, api.postJson("/api/v1/sms-codes", body).statusCode());
    HttpResponse<Buffer> again = api.postJson("/api/v1/sms-codes", body.put("phone", number()));
    assertEquals("CAPTCHA_INVALID", Api.errorCode(again));
    assertEquals(400, again.statusCode());
  }

  @Test
  void resendCooldownAnswers429WithRetryAfter() {
    Api api = client();
    String phone = number();
    code(api, phone);
    HttpResponse<Buffer> again = api.requestCode(phone);
    assertEquals(429, again.statusCode());
    assertEquals("SMS_CODE_TOO_FREQUENT", Api.errorCode(again));
    long retry = Long.parseLong(again.getHeader("Retry-After"));
    assertTrue(retry >= 55 && retry <= 60, "Retry-After " + retry);
  }

  @Test
  void oneQueryPerNumberPer24HoursOnBothRoutes() {
    Api api = client();
    String phone = number();
    assertEquals(202, api.submit(phone, "12345X", code(api, phone)).statusCode());

    HttpResponse<Buffer> codeAgain = api.requestCode(phone);
    assertEquals(429, codeAgain.statusCode());
    assertEquals("QUERY_LIMIT", Api.errorCode(codeAgain));
    long retry = Long.parseLong(codeAgain.getHeader("Retry-After"));
    assertTrue(retry > 86_000 && retry <= 86_400, "Retry-After " + retry);
    assertTrue(codeAgain.bodyAsJsonObject().getJsonObject("error").getString("message").contains("24小时"));

    // a live code and a taken window (another node accepted a query for the number meanwhile)
    String other = number();
    String live = code(api, other);
    String token = service.context().keys.phoneToken(other);
    redis.cli("SET", service.context().keys.queryWindow(token), "someone-else", "PX", "86400000");
    HttpResponse<Buffer> submitAgain = api.submit(other, "12345X", live);
    assertEquals(429, submitAgain.statusCode());
    assertEquals("QUERY_LIMIT", Api.errorCode(submitAgain));
    assertTrue(Long.parseLong(submitAgain.getHeader("Retry-After")) > 86_000);
  }

  @Test
  void twentyConcurrentSubmissionsOfOneCodeGiveExactlyOneAcceptance() throws Exception {
    Api api = client();
    String phone = number();
    String code = code(api, phone);
    List<Future<HttpResponse<Buffer>>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(service.client().post("/api/v1/queries")
          .putHeader("Content-Type", "application/json")
          .putHeader("X-Forwarded-For", "198.51.100.200")
          .sendJsonObject(Api.query(phone, "12345X", code)));
    }
    Future.join(all).await(20, TimeUnit.SECONDS);
    int accepted = 0;
    for (Future<HttpResponse<Buffer>> f : all) {
      HttpResponse<Buffer> r = f.result();
      OpenApiCheck.get().check(HttpMethod.POST, "/api/v1/queries", r);
      assertTrue(r.statusCode() < 500, r.bodyAsString());
      if (r.statusCode() == 202) {
        accepted++;
      } else {
        assertEquals("SMS_CODE_EXPIRED", Api.errorCode(r));
      }
    }
    assertEquals(1, accepted);
  }

  @Test
  void idempotencyKeyReplaysTheFirstAnswer() {
    Api api = client();
    String phone = number();
    JsonObject body = Api.query(phone, "12345X", code(api, phone));
    MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "retry-" + phone.hashCode());
    HttpResponse<Buffer> first = api.postJson("/api/v1/queries", body, key);
    assertEquals(202, first.statusCode(), first.bodyAsString());
    HttpResponse<Buffer> second = api.postJson("/api/v1/queries", body, key);
    assertEquals(202, second.statusCode(), second.bodyAsString());
    assertEquals(first.bodyAsJsonObject(), second.bodyAsJsonObject());
    // the same body without the key is a new request: the code is gone
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submit(phone, "12345X", body.getString("smsCode"))));
    // the same key with another body
    HttpResponse<Buffer> reused = api.postJson("/api/v1/queries", body.copy().put("idLast6", "99999X"), key);
    assertEquals(409, reused.statusCode());
    assertEquals("IDEMPOTENCY_KEY_REUSED", Api.errorCode(reused));
    // even when that other body would not pass validation
    HttpResponse<Buffer> reusedBad = api.postJson("/api/v1/queries", new JsonObject().put("phone", "x"), key);
    assertEquals("IDEMPOTENCY_KEY_REUSED", Api.errorCode(reusedBad));
  }

  @Test
  void behindATrustedProxyTheRightMostUntrustedHopIsTheClient() {
    // this class trusts 127.0.0.1: a client may put anything on the left of X-Forwarded-For, the
    // proxy appends the address it saw, and that one is counted
    Api spoofing = new Api(service).as("1.2.3.4, 198.51.100.9");
    assertEquals(201, spoofing.send(io.vertx.core.http.HttpMethod.POST, "/api/v1/captcha", null, null, null).statusCode());
    var keys = service.context().keys;
    assertEquals("1", redis.cli("EXISTS", keys.rateLimit("captcha", "198.51.100.9")).trim(), "the real client is counted");
    assertEquals("0", redis.cli("EXISTS", keys.rateLimit("captcha", "1.2.3.4")).trim(), "the spoofed hop is not");
    // and the address itself is not in the store: only its keyed token
    assertFalse(redis.dumpAll().contains("198.51.100.9"));
  }

  @Test
  void aCodeStillArrivesOnceWhenTheSmsGatewayFailsTwice() {
    Api api = client();
    String phone = number();
    org.yzt.sim.SmsInbox inbox = service.context().shared(org.yzt.sim.SmsInbox.class, () -> {
      throw new AssertionError("the SMS simulator is not running");
    });
    inbox.failNextTo(phone, 2, 503); // this number's: result texts of earlier queries may be on their way
    HttpResponse<Buffer> r = api.requestCode(phone);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    JsonArray texts = api.inbox(phone);
    assertEquals(1, texts.size());
    assertEquals(3, inbox.requestsFor(texts.getJsonObject(0).getString("messageId")), "two 503s, then delivered");
    secrets.add(api.latestCode(phone));
  }

  @Test
  void aCodeThatCannotBeTextedIsTakenBackAndMayBeAskedForAgain() {
    Api api = client();
    String phone = number();
    org.yzt.sim.SmsInbox inbox = service.context().shared(org.yzt.sim.SmsInbox.class, () -> {
      throw new AssertionError("the SMS simulator is not running");
    });
    inbox.failNextTo(phone, 1, 400); // a permanent refusal, for this number's text only
    HttpResponse<Buffer> r = api.requestCode(phone);
    assertEquals(503, r.statusCode(), r.bodyAsString());
    assertEquals("SERVICE_UNAVAILABLE", Api.errorCode(r));
    // no cooldown was left behind for a text that never came
    assertEquals(202, api.requestCode(phone).statusCode());
    secrets.add(api.latestCode(phone));
  }

  @Test
  void noPersonalDataInRedisOrTheLog() throws Exception {
    // a code and a query of its own, so that the sweep has a number, a code and ID digits to look for
    Api api = client();
    String phone = number();
    secrets.add("73519X");
    HttpResponse<Buffer> accepted = api.submit(phone, "73519x", code(api, phone));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    assertFalse(redis.dumpAll().isBlank());
    assertNoPersonalDataInRedisOrTheLog();
    // masked numbers are how the log may name them (not every number reached a log line: one only
    // ever met a wrong captcha)
    String written = FrontDoorFlowTest.log.text();
    assertTrue(secrets.stream().filter(x -> x.length() == 11)
        .anyMatch(p -> written.contains(p.substring(0, 3) + "****" + p.substring(7))), "masked numbers in the log");
  }

  private static void assertNoPersonalDataInRedisOrTheLog() throws Exception {
    String store = redis.dumpAll();
    String log = FrontDoorFlowTest.log.text();
    assertTrue(log.contains(PROBE), "the sweep reads what the front door logs at DEBUG");
    for (String secret : secrets) {
      // as a token of its own: a 6-digit code may occur by chance inside a 13-digit timestamp
      // and in either case: "48213X" was submitted as "48213x"
      java.util.regex.Pattern alone = java.util.regex.Pattern.compile("(?<![0-9A-Za-z])" + secret + "(?![0-9A-Za-z])",
          java.util.regex.Pattern.CASE_INSENSITIVE);
      assertFalse(alone.matcher(store).find(), "Redis holds personal data in clear");
      assertFalse(alone.matcher(log).find(), "the log holds personal data");
    }
    assertFalse(log.contains("has been blocked for"), "the blocked-thread checker spoke: something blocked an event loop");
  }
}
