package org.yzt.smscode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ClassLog;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.Wait;

/**
 * SPEC §10: the send budgets are checked after the per-phone limits, so a number in its cooldown is
 * told {@code SMS_CODE_TOO_FREQUENT} even while its block's budget is spent; and a budget refusal
 * writes a security WARN line (sampled, common/SecurityLog) with no personal data in it.
 */
class BudgetAfterNumberLimitsTest {
  private static final String IP = "198.51.100.77";

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("limits", new JsonObject().put("smsBudget", new JsonObject()
          .put("perBlock", new JsonObject().put("max", 1).put("windowSeconds", 600))))
      .put("smsCode", new JsonObject().put("maxPerDay", 1)));

  private static ClassLog log;

  @BeforeAll
  static void captureLog() {
    log = ClassLog.start(BudgetAfterNumberLimitsTest.class, Level.INFO);
  }

  @AfterAll
  static void releaseLog() {
    if (log != null) {
      log.close();
    }
  }

  /** Two numbers of one 7-digit block of their own. */
  private static List<String> block() {
    String block = "136" + String.format("%04d", ThreadLocalRandom.current().nextInt(10_000));
    List<String> numbers = List.of(block + "1234", block + "5678");
    USED.addAll(numbers);
    return numbers;
  }

  /** Every number this class asked a code for: none may be in a security line, whichever test wrote it. */
  private static final java.util.Set<String> USED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  @Test
  void aNumberInItsCooldownIsToldSoEvenWhenItsBlockBudgetIsSpent() {
    Api api = app.api().as(IP);
    List<String> block = block();
    assertEquals(202, api.requestCode(block.get(0)).statusCode(), "the block's one text");
    // the block's budget is spent now: a neighbour is refused by it ...
    HttpResponse<Buffer> neighbour = api.requestCode(block.get(1));
    assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(neighbour), neighbour.bodyAsString());
    // ... but the first number hits its own cooldown first, and is told that
    HttpResponse<Buffer> again = api.requestCode(block.get(0));
    assertEquals(429, again.statusCode());
    assertEquals("SMS_CODE_TOO_FREQUENT", Api.errorCode(again), again.bodyAsString());
    long retry = Long.parseLong(again.getHeader("Retry-After"));
    assertTrue(retry > 50 && retry <= 60, "the cooldown's Retry-After, not the budget's: " + retry);
  }

  @Test
  void aNumberInItsQueryWindowIsToldSoEvenWhenItsBlockBudgetIsSpent() {
    Api api = app.api().as(IP);
    List<String> block = block();
    String code = api.codeFor(block.get(0));
    assertEquals(202, api.submit(block.get(0), "12345X", code).statusCode(), "a query: the number's window taken");
    assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(api.requestCode(block.get(1))), "the block's budget is spent");
    HttpResponse<Buffer> again = api.requestCode(block.get(0));
    assertEquals(429, again.statusCode());
    assertEquals("QUERY_LIMIT", Api.errorCode(again), again.bodyAsString());
  }

  @Test
  void aNumberAtItsDailyCapIsToldSoEvenWhenItsBlockBudgetIsSpent() throws Exception {
    Api api = app.api().as(IP);
    List<String> block = block();
    assertEquals(202, api.requestCode(block.get(0)).statusCode(), "the number's one code of the day (maxPerDay 1)");
    assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(api.requestCode(block.get(1))), "the block's budget is spent");
    // the cooldown over (its key gone, as after its minute): the daily cap is the number's next limit
    org.yzt.store.RedisKeys keys = app.service().context().keys;
    io.vertx.redis.client.RedisAPI.api(app.service().context().redis)
        .del(List.of(keys.smsCooldown(keys.phoneToken(block.get(0))))).await(5, java.util.concurrent.TimeUnit.SECONDS);
    HttpResponse<Buffer> again = api.requestCode(block.get(0));
    assertEquals(429, again.statusCode());
    assertEquals("SMS_CODE_DAILY_LIMIT", Api.errorCode(again), again.bodyAsString());
  }

  @Test
  void aBudgetRefusalWritesASecurityWarnLineWithoutPersonalData() {
    Api api = app.api().as(IP);
    List<String> block = block();
    assertEquals(202, api.requestCode(block.get(0)).statusCode());
    // the line is sampled per minute across the process: another class's refusal in the same JVM may
    // have taken this minute's line, so refuse again until one is written (at most a minute on)
    Wait.await(75_000, "a security WARN line for the block budget", () -> {
      HttpResponse<Buffer> r = api.requestCode(block.get(1));
      assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(r), r.bodyAsString());
      return Wait.waitUntil(2_000, () -> budgetLine() != null);
    });
    String line = budgetLine();
    assertTrue(line.contains(" WARN "), line);
    assertTrue(line.contains("scope=\"block\""), line);
    assertTrue(line.matches(".*count=\"[1-9]\\d*\".*"), "the line carries the count it stands for: " + line);
    assertFalse(java.util.regex.Pattern.compile("1[3-9]\\d{9}").matcher(line).find(), "a number in the line: " + line);
    for (String number : USED) {
      assertFalse(line.contains(number), "a number in the security line: " + line);
      assertFalse(line.contains(number.substring(0, 7)), "the number block in the security line: " + line);
      assertFalse(line.contains(number.substring(3)), "a number's digits in the security line: " + line);
    }
    assertFalse(line.contains(IP), "the client address in the security line: " + line);
    for (String number : USED) {
      assertFalse(log.text().contains(number), "a number somewhere in the log");
    }
  }

  @Test
  void budgetLinesAreSampledPerClientNotForAllClientsTogether() {
    // addresses of this test alone, so no earlier refusal (of any class in this JVM) took their minute
    String ipA = "203.0.113." + (1 + ThreadLocalRandom.current().nextInt(120));
    String ipB = "203.0.113." + (130 + ThreadLocalRandom.current().nextInt(120));
    org.yzt.store.RedisKeys keys = app.service().context().keys;
    String tokenA = keys.clientToken(ipA);
    String tokenB = keys.clientToken(ipB);
    Api a = app.api().as(ipA);
    Api b = app.api().as(ipB);
    List<String> block = block();
    assertEquals(202, a.requestCode(block.get(0)).statusCode(), "the block's one text");
    for (int i = 0; i < 4; i++) {
      assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(a.requestCode(block.get(1))), "client A refused by the budget");
    }
    assertEquals("SMS_BUDGET_EXCEEDED", Api.errorCode(b.requestCode(block.get(1))), "client B refused by the budget");
    // B's refusal came within the minute of A's line: B still gets a line of its own
    assertTrue(Wait.waitUntil(5_000, () -> budgetLines(tokenB).size() == 1), "client B's own line: " + budgetLines(null));
    List<String> linesA = budgetLines(tokenA);
    assertEquals(1, linesA.size(), "client A's four refusals within a minute are one line: " + linesA);
    assertTrue(linesA.get(0).contains("count=\"1\""), "the first refusal is written at once: " + linesA);
    for (String line : budgetLines(null)) {
      assertFalse(line.contains(ipA) || line.contains(ipB), "a client address in a security line: " + line);
    }
  }

  /** The security lines of send budget refusals in this class's log; of the client with {@code token} unless null. */
  private static List<String> budgetLines(String token) {
    return log.text().lines().filter(l -> l.contains("security.sms_budget_exceeded"))
        .filter(l -> token == null || l.contains("client=\"" + token + "\"")).toList();
  }

  /** The first security line of a send budget refusal in this class's log, or null. */
  private static String budgetLine() {
    return log.text().lines().filter(l -> l.contains("security.sms_budget_exceeded")).findFirst().orElse(null);
  }
}
