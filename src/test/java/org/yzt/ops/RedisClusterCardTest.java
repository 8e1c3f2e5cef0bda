package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.store.HashSlots;
import org.yzt.runtime.AppContext;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisSetExtension;

/**
 * SPEC §13 on a real three-master Redis Cluster (SPEC §11: the same layout as standalone): the phone-card
 * query's ID-number window lives in the slot of its own token, reserved in a round trip of its own,
 * confirmed by the number's step or given back when that step refuses. The whole flow over HTTP, the ID
 * number's window across two phones on different masters (one after the other and at the same time), and
 * refusals that give the reservation back.
 */
class RedisClusterCardTest {
  static final String RESULT = "【一证通查】您名下登记的电话卡：中国移动2张，中国联通0张，中国电信1张，中国广电0张，共3张。"
      + "如有异议，请携带本人有效身份证件到相应运营商营业厅处理。";

  @RegisterExtension
  static final RedisSetExtension<RedisClusterSet> app = RedisSetExtension.cluster();

  private static AppContext ctx() {
    return app.service().context();
  }

  private static Api client() {
    return app.api().as("198.51.100." + (int) (Math.random() * 240 + 1));
  }

  /** The master that holds the number's keys (its shard's slot). */
  private static int masterOfPhone(String phone) {
    return app.redis().masterOf(HashSlots.slot(ctx().keys.shardOfPhone(ctx().keys.phoneToken(phone)).tag())).port();
  }

  /** The master that holds an ID number's window, and the key. */
  private static RedisProcess masterOfIdWindow(String idNumber) {
    return app.redis().masterOf(HashSlots.slot(ctx().keys.cardIdWindow(idNumber)));
  }

  /** Two fresh numbers whose keys sit on two different masters, and neither on the ID window's master when possible. */
  private static String[] phonesOnTwoMasters() {
    String first = Numbers.fresh();
    for (int i = 0; i < 200; i++) {
      String second = Numbers.fresh();
      if (masterOfPhone(second) != masterOfPhone(first)) {
        return new String[] {first, second};
      }
    }
    throw new AssertionError("no two numbers on two masters");
  }

  /** The texts the number received that are not codes, oldest first. */
  private static List<String> results(Api api, String phone) {
    return api.resultTexts(phone);
  }

  @Test
  void theWholeCardFlowTextsTheCountsOnTheCluster() throws Exception {
    Api api = client();
    assertEquals(200, api.get("/ready").statusCode());
    String phone = "13500135000";
    String idNumber = "11010519491231002X";
    assertNotEquals(masterOfIdWindow(idNumber).port(), -1);
    HttpResponse<Buffer> accepted = api.submitCards(phone, " 张三 ", "11010519491231002x", api.codeFor(phone, "cards"));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String q = accepted.bodyAsJsonObject().getString("queryId");
    RedisClusterTest.awaitDone(api, q);
    assertEquals(List.of(RESULT), results(api, phone));
    // the ID number's window is taken for the whole window, under its keyed token only
    String key = ctx().keys.cardIdWindow(idNumber);
    assertFalse(key.contains(idNumber) || key.contains(idNumber.substring(0, 17)), key);
    assertEquals(q, masterOfIdWindow(idNumber).cli("GET", key).trim());
    long left = Long.parseLong(masterOfIdWindow(idNumber).cli("PTTL", key).trim());
    assertTrue(left > 86_000_000L, "the window's time left: " + left);
  }

  @Test
  void theIdNumbersWindowHoldsAcrossTwoPhonesOnDifferentMasters() {
    Api api = client();
    String[] phones = phonesOnTwoMasters();
    String idNumber = Numbers.freshIdNumber();
    HttpResponse<Buffer> first = api.submitCards(phones[0], "张三", idNumber, api.codeFor(phones[0], "cards"));
    assertEquals(202, first.statusCode(), first.bodyAsString());

    String code = api.codeFor(phones[1], "cards");
    HttpResponse<Buffer> refused = api.submitCards(phones[1], "张三", idNumber, code);
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("QUERY_LIMIT", Api.errorCode(refused));
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry > 86_000 && retry <= 86_400, "Retry-After " + retry);
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submitCards(phones[1], "张三", Numbers.freshIdNumber(), code)),
        "the refusal spent the code");
    // the refused number took no phone-card window of its own
    assertEquals("0", app.redis().masterOf(HashSlots.slot(ctx().keys.shardOfPhone(ctx().keys.phoneToken(phones[1])).tag()))
        .cli("EXISTS", ctx().keys.cardWindow(ctx().keys.phoneToken(phones[1]))).trim());
  }

  @Test
  void twoQueriesForOneIdNumberAtOnceFromTwoPhonesAreNotBothAccepted() throws Exception {
    for (int round = 0; round < 6; round++) {
      Api api = client();
      String[] phones = phonesOnTwoMasters();
      String idNumber = Numbers.freshIdNumber();
      String c0 = api.codeFor(phones[0], "cards");
      String c1 = api.codeFor(phones[1], "cards");
      CompletableFuture<HttpResponse<Buffer>> a = CompletableFuture.supplyAsync(() -> api.submitCards(phones[0], "张三", idNumber, c0));
      CompletableFuture<HttpResponse<Buffer>> b = CompletableFuture.supplyAsync(() -> api.submitCards(phones[1], "张三", idNumber, c1));
      List<Integer> statuses = new ArrayList<>(List.of(a.get().statusCode(), b.get().statusCode()));
      statuses.sort(null);
      assertEquals(List.of(202, 429), statuses, "round " + round + ": " + a.get().bodyAsString() + " / " + b.get().bodyAsString());
    }
  }

  @Test
  void aRefusalByTheNumbersStepGivesTheReservationBack() {
    Api api = client();
    String[] phones = phonesOnTwoMasters();
    String idNumber = Numbers.freshIdNumber();
    RedisProcess idMaster = masterOfIdWindow(idNumber);
    String key = ctx().keys.cardIdWindow(idNumber);

    // a wrong code: refused by the number's step, nothing of the ID number kept
    String code = api.codeFor(phones[0], "cards");
    String wrong = code.equals("000000") ? "111111" : "000000";
    HttpResponse<Buffer> bad = api.submitCards(phones[0], "张三", idNumber, wrong);
    assertEquals("SMS_CODE_INVALID", Api.errorCode(bad), bad.bodyAsString());
    assertEquals("0", idMaster.cli("EXISTS", key).trim(), "the reservation was given back");

    // the number's own phone-card window refuses (taken by another node meanwhile): given back too
    String token = ctx().keys.phoneToken(phones[0]);
    app.redis().masterOf(HashSlots.slot(ctx().keys.shardOfPhone(token).tag()))
        .cli("SET", ctx().keys.cardWindow(token), "someone-else", "PX", "100000000");
    HttpResponse<Buffer> limited = api.submitCards(phones[0], "张三", idNumber, code);
    assertEquals("QUERY_LIMIT", Api.errorCode(limited), limited.bodyAsString());
    long retry = Long.parseLong(limited.getHeader("Retry-After"));
    assertTrue(retry > 99_000 && retry <= 100_000, "the number's window's time left: " + retry);
    assertEquals("0", idMaster.cli("EXISTS", key).trim(), "the reservation was given back");

    // so the ID number is free at once for a query from a number on another master
    HttpResponse<Buffer> other = api.submitCards(phones[1], "张三", idNumber, api.codeFor(phones[1], "cards"));
    assertEquals(202, other.statusCode(), other.bodyAsString());
  }

  /**
   * A reservation whose query never settles it (its node gone between the steps) is no window: a query for
   * the ID number waits a moment, is answered 503 with the marker's time left and keeps its code, and goes
   * through once the marker has expired.
   */
  @Test
  void anUnsettledReservationExpiresAndIsNoWindow() throws Exception {
    Api api = client();
    String phone = Numbers.fresh();
    String idNumber = Numbers.freshIdNumber();
    String key = ctx().keys.cardIdWindow(idNumber);
    String code = api.codeFor(phone, "cards");
    masterOfIdWindow(idNumber).cli("SET", key, "r:" + org.yzt.testing.Layout.newQueryId(), "PX", "3000");
    HttpResponse<Buffer> busy = api.submitCards(phone, "张三", idNumber, code);
    assertEquals(503, busy.statusCode(), busy.bodyAsString());
    long retry = Long.parseLong(busy.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 3, "Retry-After " + retry);
    assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> "0".equals(masterOfIdWindow(idNumber).cli("EXISTS", key).trim())));
    HttpResponse<Buffer> accepted = api.submitCards(phone, "张三", idNumber, code);
    assertEquals(202, accepted.statusCode(), "the code was kept: " + accepted.bodyAsString());
  }
}
