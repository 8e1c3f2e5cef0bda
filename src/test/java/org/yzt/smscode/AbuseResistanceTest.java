package org.yzt.smscode;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.RedisAPI;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yzt.cli.Cli;
import org.yzt.store.RedisKeys;
import org.yzt.sim.SmsInbox;
import org.yzt.testing.Api;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.SmsTestSupport;

/**
 * SPEC §10 against the running service: send budgets per number block and global, the pause switch
 * through the real {@code admin} command, refunds only after a definite refusal, and wrong codes
 * counted per client address (IPv6 by its /64). Each test takes its numbers from its own 7-digit
 * block, so the small block budget here (3) binds only where a test means it to.
 */
class AbuseResistanceTest {
  private static final int GLOBAL_MAX = 500;

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("limits", new JsonObject()
          .put("smsBudget", new JsonObject()
              .put("perBlock", new JsonObject().put("max", 3).put("windowSeconds", 600))
              .put("global", new JsonObject().put("max", GLOBAL_MAX).put("windowSeconds", 3600)))
          .put("perIp", new JsonObject().put("codeFailures", new JsonObject().put("max", 3).put("windowSeconds", 3600))))
      // attempts time out after 500 ms; a code's text gets 2 s in all
      .put("sms", new JsonObject().put("timeoutMs", 500).put("codeDeliverySeconds", 2)));

  private static final Set<String> BLOCKS = new HashSet<>();
  /** Numbers whose code request a budget refused: checked once more at the end of the class, for a text sent late. */
  private static final Set<String> REFUSED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private static org.yzt.testing.ClassLog log;

  @org.junit.jupiter.api.BeforeAll
  static void captureLog() {
    log = org.yzt.testing.ClassLog.start(AbuseResistanceTest.class, ch.qos.logback.classic.Level.INFO);
  }

  @org.junit.jupiter.api.AfterAll
  static void releaseLog() {
    if (log != null) {
      log.close();
    }
  }

  @org.junit.jupiter.api.AfterAll
  static void noRefusedNumberWasEverTexted() {
    // the class's last moment, seconds after the refusals: a text sent late would be here by now
    for (String phone : REFUSED) {
      assertEquals(0, app.api().inbox(phone).size(), "a number whose code a budget refused was texted");
    }
  }

  /** Numbers of one 7-digit block that no other test uses. */
  private static synchronized List<String> newBlock(int n) {
    String block;
    do {
      block = "139" + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    } while (!BLOCKS.add(block));
    List<String> numbers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      numbers.add(block + String.format("%04d", 1000 + i * 37));
    }
    return numbers;
  }

  private static String oneNumber() {
    return newBlock(1).get(0);
  }

  private static SmsInbox inbox() {
    return SmsTestSupport.inbox(app.service().context());
  }

  private static RedisAPI redis() {
    return RedisAPI.api(app.service().context().redis);
  }

  private static long zcard(String key) throws Exception {
    return redis().zcard(key).await(5, TimeUnit.SECONDS).toLong();
  }

  /** Hits in a hit log (lib/hit_log.lua: 13 digits per hit, nothing else). */
  private static long logHits(String key) throws Exception {
    return redis().strlen(key).await(5, TimeUnit.SECONDS).toLong() / 13;
  }

  // ---- send budgets

  @Test
  void theFourthCodeInABlockIsRefusedAndNothingIsTextedWhileAnotherBlockIsServed() throws Exception {
    Api api = app.api().as("198.51.100.10");
    List<String> block = newBlock(4);
    for (int i = 0; i < 3; i++) {
      assertEquals(202, api.requestCode(block.get(i)).statusCode());
    }
    long requestsBefore = inbox().requestCount();
    double refusalsBefore = blockRefusals();
    String captchaId = api.captchaId();
    HttpResponse<Buffer> refused = api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", block.get(3)).put("captchaId", captchaId).put("captchaCode", "YZT8"));
    assertRefused(refused, 429, "SMS_BUDGET_EXCEEDED", 500, 600);
    REFUSED.add(block.get(3));
    // the captcha was consumed
    HttpResponse<Buffer> again = api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", oneNumber()).put("captchaId", captchaId).put("captchaCode", "YZT8"));
    assertEquals("CAPTCHA_INVALID", Api.errorCode(again));
    // another block is still served
    String elsewhere = oneNumber();
    assertEquals(202, api.requestCode(elsewhere).statusCode());
    assertEquals(1, api.inbox(elsewhere).size());
    // "nothing texted" read after a later text was delivered, not at once (a late text would pass that)
    assertEquals(requestsBefore + 1, inbox().requestCount(), "nothing reached the SMS gateway for the refusal");
    assertEquals(0, api.inbox(block.get(3)).size());
    assertEquals(refusalsBefore + 1, blockRefusals(), "the refusal is counted");
  }

  @Test
  void concurrentRequestsAtTheBlockBudgetTakeExactlyItsMax() throws Exception {
    // SPEC §10: budgets are atomic; eight requests for one block at once, with a budget of three
    List<String> block = newBlock(8);
    List<Api> clients = new ArrayList<>();
    List<String> captchas = new ArrayList<>();
    for (int i = 0; i < block.size(); i++) {
      Api api = app.api().as("198.51.100." + (100 + i));
      clients.add(api);
      captchas.add(api.captchaId());
    }
    long requestsBefore = inbox().requestCount();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(block.size());
    List<java.util.concurrent.Future<HttpResponse<Buffer>>> answers = new ArrayList<>();
    java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    for (int i = 0; i < block.size(); i++) {
      int n = i;
      answers.add(pool.submit(() -> {
        start.await();
        return clients.get(n).postJson("/api/v1/sms-codes", new JsonObject().put("phone", block.get(n))
            .put("captchaId", captchas.get(n)).put("captchaCode", "YZT8"));
      }));
    }
    start.countDown();
    int accepted = 0;
    for (int i = 0; i < block.size(); i++) {
      HttpResponse<Buffer> r = answers.get(i).get(30, TimeUnit.SECONDS);
      if (r.statusCode() == 202) {
        accepted++;
      } else {
        assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(r), r.bodyAsString());
        REFUSED.add(block.get(i));
      }
    }
    pool.shutdown();
    assertEquals(3, accepted, "exactly the block's budget, however the requests interleave");
    assertEquals(requestsBefore + 3, inbox().requestCount(), "three texts reached the gateway");
  }

  @Test
  void aSpentGlobalBudgetRefusesEveryBlockUntilItFrees() throws Exception {
    // an address of this test alone: no earlier refusal in this JVM took its minute of security lines
    String ip = "192.0.2." + (1 + ThreadLocalRandom.current().nextInt(250));
    Api api = app.api().as(ip);
    // the rest of the hour's budget spent by other texts, as a pumping wave would
    long used = zcard(Layout.KEYS.globalBudgetPart(0));
    List<String> args = new ArrayList<>(List.of(Layout.KEYS.globalBudgetPart(0)));
    List<String> fake = new ArrayList<>();
    long now = System.currentTimeMillis();
    for (long i = used; i < GLOBAL_MAX; i++) {
      fake.add("other-" + i);
      args.add(Long.toString(now));
      args.add("other-" + i);
    }
    redis().zadd(args).await(5, TimeUnit.SECONDS);
    String phone = oneNumber();
    long requestsBefore = inbox().requestCount();
    HttpResponse<Buffer> refused = api.requestCode(phone);
    assertRefused(refused, 429, "SMS_BUDGET_EXCEEDED", 3500, 3600);
    assertTrue(app.api().get("/metrics").bodyAsString().contains("yzt_sms_budget_refusals_total{scope=\"global\"} 1.0"));
    // SPEC §10: the refusal writes a security WARN line, sampled per client and bucket per minute
    String other = oneNumber();
    REFUSED.add(other);
    assertRefused(api.requestCode(other), 429, "SMS_BUDGET_EXCEEDED", 3500, 3600);
    assertRefused(api.requestCode(phone), 429, "SMS_BUDGET_EXCEEDED", 3500, 3600);
    String token = app.service().context().keys.clientToken(ip);
    // the line of a refusal is written before its answer: the three refusals' lines (if any) are in the log now
    List<String> lines = log.text().lines().filter(l -> l.contains("security.sms_budget_exceeded"))
        .filter(l -> l.contains("client=\"" + token + "\"")).toList();
    assertEquals(1, lines.size(), "one line for the client's three refusals within a minute: " + lines);
    String line = lines.get(0);
    assertTrue(line.contains(" WARN "), line);
    assertTrue(line.contains("scope=\"global\""), line);
    assertTrue(line.contains("count=\"1\""), "the first refusal is written at once: " + line);
    assertFalse(java.util.regex.Pattern.compile("1[3-9]\\d{9}").matcher(line).find(), "a number in the line: " + line);
    for (String number : List.of(phone, other)) {
      assertFalse(line.contains(number.substring(3)), "a number's digits in the security line: " + line);
      assertFalse(line.contains(number.substring(0, 7)), "a number's block in the security line: " + line);
    }
    assertFalse(line.contains(ip), "the client address in the security line: " + line);

    List<String> remove = new ArrayList<>(List.of(Layout.KEYS.globalBudgetPart(0)));
    remove.addAll(fake);
    redis().zrem(remove).await(5, TimeUnit.SECONDS);
    assertEquals(202, api.requestCode(phone).statusCode(), "the number was not charged for the refusal");
    // read after the later text was delivered: the refused request texted nothing, even late
    assertEquals(requestsBefore + 1, inbox().requestCount(), "one text: the one after the budget freed");
    assertEquals(1, api.inbox(phone).size());
  }

  @Test
  void aFullGlobalLogOfTextsOlderThanItsWindowIsPrunedAndTheCodeSent() throws Exception {
    Api api = app.api().as("198.51.100.14");
    // a global log at its size, every entry more than an hour old: the script prunes only when full
    long used = zcard(Layout.KEYS.globalBudgetPart(0));
    List<String> args = new ArrayList<>(List.of(Layout.KEYS.globalBudgetPart(0)));
    long old = System.currentTimeMillis() - 3_600_000L - 60_000L;
    for (long i = used; i < GLOBAL_MAX; i++) {
      args.add(Long.toString(old));
      args.add("stale-" + i);
    }
    redis().zadd(args).await(5, TimeUnit.SECONDS);
    assertEquals(GLOBAL_MAX, zcard(Layout.KEYS.globalBudgetPart(0)));
    String phone = oneNumber();
    HttpResponse<Buffer> sent = api.requestCode(phone);
    assertEquals(202, sent.statusCode(), sent.bodyAsString());
    assertTrue(zcard(Layout.KEYS.globalBudgetPart(0)) < GLOBAL_MAX, "the stale entries are gone");
    assertEquals(1, api.inbox(phone).size());
  }

  /** yzt_sms_budget_refusals_total{scope="block"}, 0 before the first refusal. */
  private static double blockRefusals() {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^yzt_sms_budget_refusals_total\\{scope=\"block\"} (\\S+)$")
        .matcher(app.api().get("/metrics").bodyAsString());
    return m.find() ? Double.parseDouble(m.group(1)) : 0;
  }

  /** A refusal with this status and code, and a Retry-After in (above, atMost] seconds. */
  private static void assertRefused(HttpResponse<Buffer> r, int status, String code, long above, long atMost) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, Api.errorCode(r));
    long retry = Long.parseLong(r.getHeader("Retry-After"));
    assertTrue(retry > above && retry <= atMost, "Retry-After " + retry);
  }

  // ---- pause switch, through the real admin command

  @Test
  void pauseCodesStopsTextsOnTheRunningNodeAndResumeCodesRestartsThem(@TempDir Path dir) throws Exception {
    Api api = app.api().as("198.51.100.12");
    Path conf = dir.resolve("ops.json");
    Files.writeString(conf, new JsonObject().put("redis", new JsonObject()
        .put("connectionString", app.redis().url())).encode());
    try {
      Admin paused = admin(conf, "pause-codes", "--minutes", "5");
      assertEquals(0, paused.status, paused.err);
      assertTrue(paused.out.startsWith("OK code texts paused for 5 minutes"), paused.out);
      assertEquals(1, paused.out.lines().count());
      String phone = oneNumber();
      long requestsBefore = inbox().requestCount();
      assertRefused(api.requestCode(phone), 503, "SERVICE_UNAVAILABLE", 280, 300);

      Admin open = admin(conf, "pause-codes");
      assertEquals(0, open.status, open.err);
      assertEquals("OK code texts paused until admin resume-codes\n", open.out);
      assertEquals("300", api.requestCode(phone).getHeader("Retry-After"));

      Admin resumed = admin(conf, "resume-codes");
      assertEquals(0, resumed.status, resumed.err);
      assertEquals("OK code texts resumed\n", resumed.out);
      assertEquals(202, api.requestCode(phone).statusCode());
      // read after the text sent on resume: the two refused while paused texted nothing, even late
      assertEquals(requestsBefore + 1, inbox().requestCount(), "one text: the one after resume-codes");
      assertEquals(1, api.inbox(phone).size());
      // the number is in its cooldown now: while paused, the pause is the answer; then the cooldown
      assertEquals(0, admin(conf, "pause-codes", "--minutes", "5").status);
      assertRefused(api.requestCode(phone), 503, "SERVICE_UNAVAILABLE", 280, 300);
      assertEquals(0, admin(conf, "resume-codes").status);
      assertRefused(api.requestCode(phone), 429, "SMS_CODE_TOO_FREQUENT", 50, 60);
    } finally {
      for (org.yzt.store.Shard shard : Layout.KEYS.shards(false)) {
        redis().del(List.of(shard.codesPaused())).await(5, TimeUnit.SECONDS);
      }
    }
    Admin badUsage = admin(conf, "pause-codes", "--minutes", "soon");
    assertEquals(2, badUsage.status);
    assertTrue(badUsage.err.contains("--minutes"), badUsage.err);

    Path nowhere = dir.resolve("nowhere.json");
    Files.writeString(nowhere, new JsonObject().put("redis", new JsonObject()
        .put("connectionString", "redis://127.0.0.1:1/0")).encode()); // port 1: nothing listens (a freed port may be taken again)
    Admin failed = admin(nowhere, "pause-codes");
    assertEquals(1, failed.status);
    assertTrue(failed.err.startsWith("FAILED pause-codes: "), failed.err);
    assertEquals(1, failed.err.lines().count(), failed.err);
  }

  private record Admin(int status, String out, String err) {}

  private static Admin admin(Path conf, String... words) {
    return admin(conf, Map.of(), words);
  }

  /** The admin command as the jar runs it, with {@code -conf conf} (none when null) and these environment variables. */
  private static Admin admin(Path conf, Map<String, String> env, String... words) {
    List<String> args = new ArrayList<>(conf == null ? List.of("admin") : List.of("-conf", conf.toString(), "admin"));
    args.addAll(List.of(words));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Cli.Parsed parsed = Cli.parse(args.toArray(String[]::new), env,
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Admin(parsed.exitStatus(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theAdminCommandReadsYztVariablesOverItsConfFile(@TempDir Path dir) throws Exception {
    // SPEC §10: the service's own configuration, YZT_* included: the file names a Redis where nothing
    // listens, the variable the test's Redis; the command must reach the variable's
    Path conf = dir.resolve("ops.json");
    Files.writeString(conf, new JsonObject().put("redis", new JsonObject()
        .put("connectionString", "redis://127.0.0.1:1/0")).encode());
    Map<String, String> env = Map.of("YZT_REDIS_CONNECTIONSTRING", app.redis().url());
    try {
      Admin paused = admin(conf, env, "pause-codes", "--minutes", "1");
      assertEquals(0, paused.status, paused.err);
      assertEquals("1", app.redis().cli("EXISTS", Layout.KEYS.shard(0).codesPaused()).trim(), "paused in the variable's Redis");
      Admin resumed = admin(null, env, "resume-codes");
      assertEquals(0, resumed.status, resumed.err);
      assertEquals("0", app.redis().cli("EXISTS", Layout.KEYS.shard(0).codesPaused()).trim(), "resumed with no -conf at all");
    } finally {
      for (org.yzt.store.Shard shard : Layout.KEYS.shards(false)) {
        redis().del(List.of(shard.codesPaused())).await(5, TimeUnit.SECONDS);
      }
    }
  }

  // ---- refunds

  @Test
  void aGatewayTimeoutKeepsTheCooldownAndADefiniteRefusalGivesItBack() throws Exception {
    Api api = app.api().as("198.51.100.13");
    String slow = oneNumber();
    String token = app.service().context().keys.phoneToken(slow);
    inbox().stallNext(10, 5000); // every attempt outlives the client's 500 ms timeout
    try {
      HttpResponse<Buffer> timedOut = api.requestCode(slow);
      assertEquals(503, timedOut.statusCode(), timedOut.bodyAsString());
      assertEquals("60", timedOut.getHeader("Retry-After"), "come back when the cooldown ends");
    } finally {
      inbox().clearFaults();
    }
    HttpResponse<Buffer> again = api.requestCode(slow);
    assertEquals(429, again.statusCode(), again.bodyAsString());
    assertEquals("SMS_CODE_TOO_FREQUENT", Api.errorCode(again));
    assertEquals(1, logHits(app.service().context().keys.smsDaily(token)), "the text may have gone out: counted");

    String refusedNumber = oneNumber();
    String refusedToken = app.service().context().keys.phoneToken(refusedNumber);
    inbox().failNext(1, 400);
    HttpResponse<Buffer> refused = api.requestCode(refusedNumber);
    assertEquals(503, refused.statusCode(), refused.bodyAsString());
    assertEquals(0, logHits(app.service().context().keys.smsDaily(refusedToken)), "a 400 sent nothing: refunded");
    assertEquals(0, logHits(app.service().context().keys.smsBudgetBlock(refusedNumber)));
    assertEquals(202, api.requestCode(refusedNumber).statusCode(), "no cooldown after a definite refusal");
    assertEquals(1, api.inbox(refusedNumber).size());
  }

  // ---- wrong codes per client address

  @Test
  void wrongCodesFromOneAddressCannotBurnAnotherAddresssAttempts() {
    Api victim = app.api().as("198.51.100.20");
    Api attacker = app.api().as("203.0.113.7");
    String phone = oneNumber();
    String code = victim.codeFor(phone);
    String wrong = code.equals("000000") ? "111111" : "000000";
    for (int left = 4; left >= 2; left--) {
      HttpResponse<Buffer> r = attacker.submit(phone, "12345X", wrong);
      assertEquals("SMS_CODE_INVALID", Api.errorCode(r));
      assertEquals(left, r.bodyAsJsonObject().getInteger("remainingAttempts"));
    }
    for (int i = 0; i < 3; i++) {
      assertRefused(attacker.submit(phone, "12345X", wrong), 429, "RATE_LIMITED", 3500, 3600);
    }
    // the attacker's refused tries did not touch the code: the victim still has 2 tries
    HttpResponse<Buffer> typo = victim.submit(phone, "12345X", wrong);
    assertEquals(1, typo.bodyAsJsonObject().getInteger("remainingAttempts"), typo.bodyAsString());
    assertEquals(202, victim.submit(phone, "12345X", code).statusCode());
  }

  @Test
  void expiredCodesCountTooAndAnIpv6ClientIsCountedByItsSlash64() {
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = app.api().as("2001:db8:aa:1::" + (i + 1)).submit(oneNumber(), "12345X", "123456");
      assertEquals("SMS_CODE_EXPIRED", Api.errorCode(r));
    }
    // another address in the same /64 is the same client
    HttpResponse<Buffer> sameSlash64 = app.api().as("2001:db8:aa:1:ffff:ffff:ffff:fffe").submit(oneNumber(), "12345X", "123456");
    assertEquals(429, sameSlash64.statusCode(), sameSlash64.bodyAsString());
    assertEquals("RATE_LIMITED", Api.errorCode(sameSlash64));
    // the neighbouring /64 is someone else
    HttpResponse<Buffer> next = app.api().as("2001:db8:aa:2::1").submit(oneNumber(), "12345X", "123456");
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(next));
  }

  // ---- X-Forwarded-For over real HTTP

  @Test
  void everyForwardedForLineIsOneListAndANameEndsTheWalk() throws Exception {
    RedisKeys keys = app.service().context().keys;
    // the client forged the first line; the trusted proxy appended its own
    HttpResponse<Buffer> r = app.service().client().post("/api/v1/captcha")
        .putHeader("X-Forwarded-For", List.of("192.0.2.66", "203.0.113.50")).send().await(10, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode());
    assertEquals(1, logHits(keys.rateLimit("captcha", "203.0.113.50")));
    assertEquals(0, logHits(keys.rateLimit("captcha", "192.0.2.66")));

    // a name is never resolved and ends the walk: the trusted peer is the client
    long peerBefore = logHits(keys.rateLimit("captcha", "127.0.0.1"));
    r = app.service().client().post("/api/v1/captcha")
        .putHeader("X-Forwarded-For", "203.0.113.51, dead.beef.cafe").send().await(10, TimeUnit.SECONDS);
    assertEquals(201, r.statusCode());
    assertEquals(0, logHits(keys.rateLimit("captcha", "203.0.113.51")));
    assertEquals(0, logHits(keys.rateLimit("captcha", "dead.beef.cafe")));
    assertEquals(peerBefore + 1, logHits(keys.rateLimit("captcha", "127.0.0.1")));
    assertFalse(app.redis().dumpAll().contains("203.0.113"), "addresses appear in Redis only as tokens");
  }
}
