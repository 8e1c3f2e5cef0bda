package org.yzt.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import ch.qos.logback.classic.Level;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * The phone-card query of SPEC §13 over HTTP, with the whole service (gateway, real Redis, the pipeline,
 * the carrier connectors signing real requests to the simulators, the SMS gateway simulator): codes of
 * each purpose, every validation code, the two 24-hour windows apart from the internet-account window,
 * idempotency per route, the texts, and the personal data that must never show (the log swept at DEBUG,
 * Redis key names and values). Each test has its own numbers, ID numbers and client address (the
 * simulators' demo subscribers one test each); the privacy sweep is a test of its own, with a query of
 * its own, and runs again after all the tests, over everything each of them sent.
 */
class CardQueryFlowTest {
  static final String RESULT_TAIL = "如有异议，请携带本人有效身份证件到相应运营商营业厅处理。";
  static final String FAILURE = "【一证通查】您的查询未通过身份核验：手机号码与姓名、身份证号码不一致。请核对后于24小时后重新查询。";

  static RedisServer redis;
  static TestService service;
  static AppContext ctx;
  static SimFaults faults;
  /** What this class logged, at DEBUG (the privacy sweep reads what DEBUG writes too). */
  static org.yzt.testing.ClassLog log;
  /** Every name and ID number this class sent: none may be found in the log or in Redis. */
  static final Set<String> secrets = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() throws Exception {
    log = org.yzt.testing.ClassLog.start(CardQueryFlowTest.class, Level.DEBUG);
    redis = RedisServer.startNew();
    service = TestService.start(redis, new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
        .put("pipeline", new JsonObject().put("deadlineSeconds", 20).put("retryInitialMs", 100).put("retryMaxMs", 500)));
    ctx = service.context();
    faults = ctx.shared(SimFaults.class, SimFaults::new);
  }

  @AfterAll
  static void stop() {
    try {
      // everything every test sent, in whatever order they ran (the test's sweep reads what ran before it)
      assertNoNameOrIdNumberInTheLogOrRedis();
    } finally {
      service.close();
      redis.close();
      log.close();
    }
  }

  /** Client addresses, one per client, so that no test shares another's per-address limits. */
  private static final java.util.concurrent.atomic.AtomicInteger NEXT_CLIENT = new java.util.concurrent.atomic.AtomicInteger();

  /** A client of an address of its own (203.0.113.0/24; a test below spells out a 198.51.100.x one). */
  private static Api client() {
    return new Api(service).as("203.0.113." + (NEXT_CLIENT.incrementAndGet() % 254 + 1));
  }

  private static String id() {
    String id = Numbers.freshIdNumber();
    secrets.add(id);
    return id;
  }

  private static String statusOf(Api api, HttpResponse<Buffer> accepted) {
    return api.queryStatus(accepted.bodyAsJsonObject().getString("queryId"));
  }

  private static boolean finished(Api api, String queryId) {
    String st = api.queryStatus(queryId);
    return "DONE".equals(st) || "FAILED".equals(st);
  }

  /** The texts the number received that are not codes, oldest first. */
  private static List<String> results(Api api, String phone) {
    return api.resultTexts(phone);
  }

  @Test
  void theWholeFlowTextsTheCardCountsOfEveryCarrierInOrder() {
    Api api = client();
    String phone = "13500135000";
    secrets.add("张三");
    secrets.add("11010519491231002X");
    HttpResponse<Buffer> sent = api.requestCode(phone, "cards");
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    String code = api.latestCode(phone);
    assertEquals("【一证通查】您的验证码为" + code + "，5分钟内有效，仅用于电话卡查询，请勿告知他人。",
        api.inbox(phone).getJsonObject(0).getString("text"));

    HttpResponse<Buffer> accepted = api.submitCards(phone, " 张三 ", "11010519491231002x", code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    JsonObject a = accepted.bodyAsJsonObject();
    assertEquals(Set.of("queryId", "status", "senderNumber", "deadline"), a.fieldNames());
    assertEquals("ACCEPTED", a.getString("status"));
    assertEquals("10699000", a.getString("senderNumber"));
    String q = a.getString("queryId");
    assertTrue(waitUntil(20_000, () -> "DONE".equals(api.queryStatus(q))), api.queryStatus(q));
    JsonObject status = api.get("/api/v1/queries/" + q).bodyAsJsonObject();
    assertEquals(Set.of("queryId", "status", "createdAt", "updatedAt", "deadline"), status.fieldNames());
    assertEquals(List.of("【一证通查】您名下登记的电话卡：中国移动2张，中国联通0张，中国电信1张，中国广电0张，共3张。" + RESULT_TAIL),
        results(api, phone));
    Map<String, String> job = PipelineFixtures.job(ctx.redis, q);
    assertFalse(job.containsKey("pd"), "the name and ID number are gone when the job ends: " + job.keySet());
    assertTrue(job.keySet().stream().noneMatch(k -> k.startsWith("e:")), job.keySet().toString());
    assertEquals(1, faults.requests("carrier:cmcc", phone), "the number's carrier was asked about the identity once");
    for (String carrier : List.of("cmcc", "cucc", "ctcc", "cbn")) {
      assertEquals(1, faults.requests("carrier-cards:" + carrier, "11010519491231002X"), carrier + " asked once");
    }
  }

  @Test
  void aCarrierThatRefusesOrCannotAnswerByTheDeadlineReadsUnavailableAndIsLeftOutOfTheTotal() {
    Api api = client();
    String phone = Numbers.fresh();
    // digits 15-17 are 1, 2, 3: the simulators' rule gives cmcc 1, cucc 2, ctcc 0, cbn 1
    String idNumber = Numbers.idNumber("31011519900307123");
    secrets.add(idNumber);
    secrets.add("Li Lei");
    faults.always("carrier-cards:ctcc", idNumber, Fault.status(403)); // a permanent refusal
    faults.always("carrier-cards:cbn", idNumber, Fault.hang()); // never answers: the deadline (20 s) decides
    try {
      HttpResponse<Buffer> accepted = api.submitCards(phone, "Li Lei", idNumber, api.codeFor(phone, "cards"));
      assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
      String q = accepted.bodyAsJsonObject().getString("queryId");
      assertTrue(waitUntil(40_000, () -> finished(api, q)), api.queryStatus(q));
      assertEquals("DONE", api.queryStatus(q));
      assertEquals(List.of("【一证通查】您名下登记的电话卡：中国移动1张，中国联通2张，中国电信暂无法查询，中国广电暂无法查询，共3张。"
          + RESULT_TAIL), results(api, phone));
      assertEquals(1, faults.requests("carrier-cards:ctcc", idNumber), "a permanent refusal is not asked again");
    } finally {
      faults.always("carrier-cards:ctcc", idNumber, null);
      faults.always("carrier-cards:cbn", idNumber, null);
    }
  }

  @Test
  void aNameThatDoesNotMatchGetsTheFailureTextAndNoCarrierIsAskedForCards() {
    Api api = client();
    String phone = "13500135001";
    secrets.add("王五");
    HttpResponse<Buffer> accepted = api.submitCards(phone, "王五", "110101198001010010", api.codeFor(phone, "cards"));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String q = accepted.bodyAsJsonObject().getString("queryId");
    assertTrue(waitUntil(20_000, () -> finished(api, q)));
    assertEquals("FAILED", api.queryStatus(q));
    assertEquals(List.of(FAILURE), results(api, phone));
    for (String carrier : List.of("cmcc", "cucc", "ctcc", "cbn")) {
      assertEquals(0, faults.requests("carrier-cards:" + carrier, "110101198001010010"), carrier);
    }
  }

  @Test
  void aCancelledNumberFailsWithoutAText() {
    Api api = client();
    String phone = "13700137000";
    HttpResponse<Buffer> accepted = api.submitCards(phone, "赵六", id(), api.codeFor(phone, "cards"));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String q = accepted.bodyAsJsonObject().getString("queryId");
    assertTrue(waitUntil(20_000, () -> finished(api, q)));
    assertEquals("FAILED", api.queryStatus(q));
    assertEquals(List.of(), results(api, phone), "no text but the code");
  }

  @Test
  void everyValidationCodeInTheOrderOfTheSpec() {
    Api api = client();
    String phone = Numbers.fresh();
    String good = id();
    assertEquals("INVALID_JSON", Api.errorCode(api.send(HttpMethod.POST, "/api/v1/card-queries", "application/json",
        Buffer.buffer("[1]"), null)));
    assertEquals(415, api.send(HttpMethod.POST, "/api/v1/card-queries", "text/plain", Buffer.buffer("{}"), null).statusCode());
    assertEquals("INVALID_FIELD", Api.errorCode(api.postJson("/api/v1/card-queries",
        new JsonObject().put("phone", phone).put("idNumber", good).put("smsCode", "123456"))));
    assertEquals("INVALID_FIELD", Api.errorCode(api.postJson("/api/v1/card-queries",
        Api.cardQuery(phone, "张三", good, "123456").put("name", 42))));
    // formats, each before the next: phone, carrier, name, ID number; the code's shape after them
    assertEquals("INVALID_PHONE", Api.errorCode(api.submitCards("12345", "1", "1", "123456")));
    assertEquals("UNSUPPORTED_NUMBER", Api.errorCode(api.submitCards("14012345678", "1", "1", "123456")));
    assertEquals("INVALID_NAME", Api.errorCode(api.submitCards(phone, "张", "1", "123456")));
    assertEquals("INVALID_NAME", Api.errorCode(api.submitCards(phone, "张三3", good, "123456")));
    assertEquals("INVALID_ID_NUMBER", Api.errorCode(api.submitCards(phone, "张三", "1", "12")));
    String badCheck = good.substring(0, 17) + (good.charAt(17) == '0' ? '1' : '0');
    HttpResponse<Buffer> wrongCheck = api.submitCards(phone, "张三", badCheck, "123456");
    assertEquals(400, wrongCheck.statusCode());
    assertEquals("INVALID_ID_NUMBER", Api.errorCode(wrongCheck));
    HttpResponse<Buffer> fifteen = api.submitCards(phone, "张三", "110105491231002", "123456");
    assertEquals("INVALID_ID_NUMBER", Api.errorCode(fifteen));
    assertTrue(fifteen.bodyAsJsonObject().getJsonObject("error").getString("message").contains("15位"),
        "the message says 15-digit numbers are not taken: " + fifteen.bodyAsString());
    assertEquals("INVALID_FIELD", Api.errorCode(api.submitCards(phone, "张三", good, "12345")));
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submitCards(phone, "张三", good, "123456")));
    // no answer echoes what was sent
    assertFalse(wrongCheck.bodyAsString().contains(badCheck.substring(0, 17)));
    HttpResponse<Buffer> badPurpose = api.postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone)
        .put("captchaId", api.captchaId()).put("captchaCode", TestService.CAPTCHA).put("purpose", "cars"));
    assertEquals("INVALID_FIELD", Api.errorCode(badPurpose));
    HttpResponse<Buffer> numericPurpose = api.postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone)
        .put("captchaId", api.captchaId()).put("captchaCode", TestService.CAPTCHA).put("purpose", 1));
    assertEquals("INVALID_FIELD", Api.errorCode(numericPurpose));
  }

  @Test
  void aCodeServesOnlyItsPurposeAndAQueryOfTheOtherFindsNone() {
    String ip = "198.51.100.251";
    Api api = new Api(service).as(ip);
    String phone = Numbers.fresh();
    String idNumber = id();
    String accountsCode = api.codeFor(phone, "accounts");
    assertTrue(api.inbox(phone).getJsonObject(0).getString("text").contains("仅用于互联网账号查询"));
    HttpResponse<Buffer> cross = api.submitCards(phone, "张三", idNumber, accountsCode);
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(cross), cross.bodyAsString());
    // counted as a wrong code for the client's address (SPEC §10)
    String ipToken = ctx.keys.clientToken(ip);
    assertEquals("1", redis.cli("EXISTS", ctx.keys.codeFailuresOf(ipToken)).trim(), "counted as a wrong code");
    // and the live code was left alone: the internet-account query takes it
    assertEquals(202, api.submit(phone, "12345X", accountsCode).statusCode());

    String other = Numbers.fresh();
    String cardsCode = api.codeFor(other, "cards");
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submit(other, "12345X", cardsCode)));
    assertEquals(202, api.submitCards(other, "张三", id(), cardsCode).statusCode());
  }

  @Test
  void oneLiveCodePerNumberWhateverThePurposeAndOneCooldown() {
    Api api = client();
    String phone = Numbers.fresh();
    String cardsCode = api.codeFor(phone, "cards");
    HttpResponse<Buffer> again = api.requestCode(phone, "accounts");
    assertEquals("SMS_CODE_TOO_FREQUENT", Api.errorCode(again), "the cooldown is the number's, whatever the purpose");
    // the cooldown ran out (as after 60 s): a code of the other purpose replaces the live one
    redis.cli("DEL", ctx.keys.smsCooldown(ctx.keys.phoneToken(phone)));
    String accountsCode = api.codeFor(phone, "accounts");
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submitCards(phone, "张三", id(), cardsCode)), "replaced");
    assertEquals(202, api.submit(phone, "12345X", accountsCode).statusCode());
  }

  @Test
  void theIdNumbersWindowHoldsWhateverPhoneAsksAndARefusalSpendsTheCode() {
    Api api = client();
    String idNumber = id();
    String first = Numbers.fresh();
    assertEquals(202, api.submitCards(first, "张三", idNumber, api.codeFor(first, "cards")).statusCode());

    String second = Numbers.fresh();
    String code = api.codeFor(second, "cards");
    HttpResponse<Buffer> refused = api.submitCards(second, "张三", idNumber, code);
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("QUERY_LIMIT", Api.errorCode(refused));
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry > 86_000 && retry <= 86_400, "Retry-After " + retry);
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submitCards(second, "张三", id(), code)), "the refusal spent the code");
    // the number that was refused took no window: a new code and another ID number go through
    redis.cli("DEL", ctx.keys.smsCooldown(ctx.keys.phoneToken(second)));
    assertEquals(202, api.submitCards(second, "张三", id(), api.codeFor(second, "cards")).statusCode());
  }

  @Test
  void thePhonesWindowHoldsAtCodeTimeAndAtSubmissionWithTheLaterRetryAfter() {
    Api api = client();
    String phone = Numbers.fresh();
    assertEquals(202, api.submitCards(phone, "张三", id(), api.codeFor(phone, "cards")).statusCode());
    HttpResponse<Buffer> codeAgain = api.requestCode(phone, "cards");
    assertEquals(429, codeAgain.statusCode());
    assertEquals("QUERY_LIMIT", Api.errorCode(codeAgain), "the code-time window of purpose cards");

    // a number with a live code whose phone-card window another node took meanwhile, for longer than the
    // ID number's window: the later of the two is the answer
    String idNumber = id();
    String first = Numbers.fresh();
    assertEquals(202, api.submitCards(first, "张三", idNumber, api.codeFor(first, "cards")).statusCode());
    String other = Numbers.fresh();
    String code = api.codeFor(other, "cards");
    redis.cli("SET", ctx.keys.cardWindow(ctx.keys.phoneToken(other)), "someone-else", "PX", "100000000");
    HttpResponse<Buffer> refused = api.submitCards(other, "张三", idNumber, code);
    assertEquals("QUERY_LIMIT", Api.errorCode(refused));
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry > 99_000 && retry <= 100_000, "Retry-After is the later window's: " + retry);
  }

  @Test
  void theWindowsOfTheTwoQueriesAreApart() {
    Api api = client();
    String phone = Numbers.fresh();
    assertEquals(202, api.submitCards(phone, "张三", id(), api.codeFor(phone, "cards")).statusCode());
    redis.cli("DEL", ctx.keys.smsCooldown(ctx.keys.phoneToken(phone)));
    // a phone-card query leaves the internet-account window free: its code and query go through
    assertEquals(202, api.submit(phone, "12345X", api.codeFor(phone, "accounts")).statusCode());
    redis.cli("DEL", ctx.keys.smsCooldown(ctx.keys.phoneToken(phone)));
    HttpResponse<Buffer> accountsAgain = api.requestCode(phone, "accounts");
    assertEquals("QUERY_LIMIT", Api.errorCode(accountsAgain));

    String other = Numbers.fresh();
    assertEquals(202, api.submit(other, "12345X", api.codeFor(other, "accounts")).statusCode());
    redis.cli("DEL", ctx.keys.smsCooldown(ctx.keys.phoneToken(other)));
    assertEquals(202, api.submitCards(other, "张三", id(), api.codeFor(other, "cards")).statusCode(),
        "an internet-account query leaves the phone-card windows free");
  }

  @Test
  void idempotencyKeysArePerRoute() {
    Api api = client();
    String phone = Numbers.fresh();
    MultiMap key = MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "same-key-" + phone);
    JsonObject body = Api.cardQuery(phone, "张三", id(), api.codeFor(phone, "cards"));
    HttpResponse<Buffer> first = api.postJson("/api/v1/card-queries", body, key);
    assertEquals(202, first.statusCode(), first.bodyAsString());
    HttpResponse<Buffer> replay = api.postJson("/api/v1/card-queries", body, key);
    assertEquals(202, replay.statusCode(), "a repeat is answered as the first time, not QUERY_LIMIT");
    assertEquals(first.bodyAsJsonObject(), replay.bodyAsJsonObject());
    HttpResponse<Buffer> otherBody = api.postJson("/api/v1/card-queries", body.copy().put("smsCode", "000000"), key);
    assertEquals(409, otherBody.statusCode());
    assertEquals("IDEMPOTENCY_KEY_REUSED", Api.errorCode(otherBody));
    HttpResponse<Buffer> refusedBody = api.postJson("/api/v1/card-queries", body.copy().put("name", "1"), key);
    assertEquals(409, refusedBody.statusCode(), "a body the checks refuse is still 409 for a used key");

    // the same key on the other route is another key
    String other = Numbers.fresh();
    redis.cli("DEL", ctx.keys.smsCooldown(ctx.keys.phoneToken(other)));
    HttpResponse<Buffer> accounts = api.postJson("/api/v1/queries", Api.query(other, "12345X", api.codeFor(other, "accounts")), key);
    assertEquals(202, accounts.statusCode(), accounts.bodyAsString());
    assertFalse(accounts.bodyAsJsonObject().getString("queryId").equals(first.bodyAsJsonObject().getString("queryId")));
  }

  @Test
  void noNameOrIdNumberInTheLogEvenAtDebugNorInRedis() throws Exception {
    // a query of its own, so the sweep has a pending job and its windows to read whatever ran before
    Api api = client();
    String phone = Numbers.fresh();
    secrets.add("欧阳娜娜");
    assertEquals(202, api.submitCards(phone, "欧阳娜娜", id(), api.codeFor(phone, "cards")).statusCode());
    assertTrue(CardQueryFlowTest.log.text().contains("DEBUG"), "the log was written at DEBUG");
    assertNoNameOrIdNumberInTheLogOrRedis();
  }

  private static void assertNoNameOrIdNumberInTheLogOrRedis() {
    String store = redis.dumpAll();
    String log = CardQueryFlowTest.log.text();
    for (String s : secrets) {
      assertFalse(store.contains(s), "personal data in Redis (a key name or a value)");
      assertFalse(log.contains(s), "personal data in the log");
      if (s.length() == 18) {
        assertFalse(store.contains(s.substring(0, 17)), "an ID number's first 17 characters in Redis");
        assertFalse(log.contains(s.substring(0, 17)), "an ID number's first 17 characters in the log");
      }
    }
  }
}
