package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.frontdoor.PipelineFixtures.status;
import static org.yzt.frontdoor.PipelineFixtures.submitNow;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.ManualClock;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * The pipeline end to end: real Redis, the real carrier and enterprise connectors making signed
 * HTTP requests to the simulators (with faults injected), and a stand-in for {@code yzt.sms.send}.
 */
class PipelineFlowTest {
  static RedisServer redisServer;
  static TestService service;
  static AppContext ctx;
  static Redis redis;
  static SimFaults faults;
  static PipelineFixtures.SmsStub sms;
  static List<EnterpriseConfig> enterprises;
  /** Moved past the dead-letter retention (the default week) by the dead-letter test, instead of a 3 s retention waited out. */
  static final ManualClock clock = new ManualClock();

  @BeforeAll
  static void start() {
    redisServer = RedisServer.startNew();
    JsonObject overrides = PipelineFixtures.pipelineRoles().put("pipeline", new JsonObject()
        .put("retryInitialMs", 100).put("retryMaxMs", 2000).put("claimIdleMs", 600).put("maxDeliveries", 2)
        .put("parkAfterMs", 300).put("wakeIntervalMs", 50).put("blockMs", 200)
        .put("deadLetterSweepMs", 200)); // the retention is the default week
    service = TestService.start(TestService.config(redisServer, overrides), clock);
    ctx = service.context();
    redis = ctx.redis;
    faults = ctx.shared(SimFaults.class, SimFaults::new);
    sms = new PipelineFixtures.SmsStub(service.vertx());
    enterprises = EnterpriseConfig.all(ctx.config);
  }

  @AfterEach
  void realTimeAgain() {
    clock.reset();
    // every pass ends, its worker's slot freed: one that never completed would see its job end all the same
    assertTrue(waitUntil(10_000, () -> PipelineFixtures.inFlight(ctx) == 0), "every pass let go of its job");
  }

  @AfterAll
  static void stop() {
    service.close();
    redisServer.close();
  }

  static String randomPhone() {
    return org.yzt.testing.Numbers.fresh("138");
  }

  String submit(String phone, String idLast6, long deadlineMs) {
    return submitNow(ctx, phone, idLast6, deadlineMs);
  }

  boolean finished(String queryId) {
    String st = status(redis, queryId);
    return "DONE".equals(st) || "FAILED".equals(st);
  }

  @Test
  void happyPathSendsTheExactResultTextOnceAndForgetsThePersonalData() {
    String phone = "13800138000"; // other tests of this class query it too: counts are taken as differences
    int carrierBefore = faults.requests("carrier:cmcc", phone);
    Map<String, Integer> asked = enterpriseRequests(phone);
    String q = submit(phone, "12345X", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    List<PipelineFixtures.SmsStub.Sms> texts = sms.to(phone).stream().filter(m -> m.messageId().startsWith(q)).toList();
    assertEquals(1, texts.size());
    assertEquals(1, sms.callsByMessageId.get(q + "-r"));
    assertEquals("【一证通查】您的号码138****8000关联的互联网账号：微信1个，QQ2个，淘宝1个，支付宝1个，百度1个，快手1个，"
        + "抖音1个，京东2个，美团1个，共11个。如有异议，请在查询页“解绑与明细查询”或拨打企业客服电话处理。", texts.get(0).text());
    assertEquals(q + "-r", texts.get(0).messageId());
    Map<String, String> job = PipelineFixtures.job(redis, q);
    assertNull(job.get("pd"));
    assertTrue(job.keySet().stream().noneMatch(k -> k.startsWith("e:")), job.keySet().toString());
    assertTrue(Long.parseLong(job.get("ua")) >= Long.parseLong(job.get("ca")));
    for (EnterpriseConfig e : enterprises) {
      assertEquals(asked.get(e.id()) + 1, faults.requests("enterprise:" + e.id(), phone), e.id());
    }
    // the carrier is asked exactly once: a verified job is not verified again
    assertEquals(carrierBefore + 1, faults.requests("carrier:cmcc", phone));
  }

  /** How many requests each enterprise has received for {@code phone} so far. */
  static Map<String, Integer> enterpriseRequests(String phone) {
    Map<String, Integer> out = new java.util.HashMap<>();
    for (EnterpriseConfig e : enterprises) {
      out.put(e.id(), faults.requests("enterprise:" + e.id(), phone));
    }
    return out;
  }

  @Test
  void aJobSealedBeforeFieldsWereBoundStillCompletes() {
    // as a node of the previous version wrote it: the personal data bound to the job id only
    String phone = randomPhone();
    String q = org.yzt.testing.Layout.newQueryId();
    PipelineFixtures.await(PipelineFixtures.submitSealed(redis, q, ctx.personalData.encryptBoundToJobOnly(q,
        new JsonObject().put("phone", phone).put("idLast6", "123456")), 30_000));
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    assertEquals(1, sms.to(phone).size());
  }

  @Test
  void mismatchSendsTheFailureTextAndAsksNoEnterprise() {
    String q = submit("13900139000", "000000", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("FAILED", status(redis, q));
    List<PipelineFixtures.SmsStub.Sms> texts = sms.to("13900139000");
    assertEquals(1, texts.size());
    assertEquals("【一证通查】您的查询未通过身份核验：手机号码与身份证号码后六位不一致。请核对后于24小时后重新查询。", texts.get(0).text());
    for (EnterpriseConfig e : enterprises) {
      assertEquals(0, faults.requests("enterprise:" + e.id(), "13900139000"), e.id());
    }
  }

  @Test
  void wrongIdDigitsOfTheDemoNumberAreAMismatchToo() {
    String phone = "13800138000";
    int before = sms.to(phone).size();
    String q = submit(phone, "999999", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("FAILED", status(redis, q));
    assertEquals(before + 1, sms.to(phone).size());
    assertTrue(sms.to(phone).stream().anyMatch(s -> s.messageId().equals(q + "-f")));
  }

  @Test
  void cancelledNumberFailsWithoutAnyText() {
    int carrierBefore = faults.requests("carrier:cmcc", "13700137000");
    String q = submit("13700137000", "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("FAILED", status(redis, q));
    assertEquals("cancelled", PipelineFixtures.job(redis, q).get("why"));
    assertEquals(carrierBefore + 1, faults.requests("carrier:cmcc", "13700137000"));
    for (EnterpriseConfig e : enterprises) {
      assertEquals(0, faults.requests("enterprise:" + e.id(), "13700137000"), "a cancelled number's enterprises are not asked");
    }
    assertTrue(sms.to("13700137000").isEmpty());
    assertEquals(0, sms.callsByMessageId.getOrDefault(q + "-r", 0) + sms.callsByMessageId.getOrDefault(q + "-f", 0));
  }

  @Test
  void enterpriseFailingTwiceWith500ThenAnsweringIsRetriedAndCounted() {
    String phone = randomPhone();
    faults.script("enterprise:alipay", phone, Fault.status(500), Fault.status(500));
    String q = submit(phone, "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    assertEquals(3, faults.requests("enterprise:alipay", phone));
    assertEquals(1, faults.requests("enterprise:tencent", phone));
    String text = sms.to(phone).get(0).text();
    assertFalse(text.contains("暂无法查询"), text);
    assertEquals(expectedByRule(phone, null), text);
  }

  @Test
  void enterpriseAnswering400FailsAtOnceForThatEnterpriseOnly() {
    String phone = randomPhone();
    faults.always("enterprise:baidu", phone, Fault.status(400));
    String q = submit(phone, "123456", 30_000);
    assertTrue(waitUntil(5_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    assertEquals(1, faults.requests("enterprise:baidu", phone));
    assertEquals(expectedByRule(phone, "baidu"), sms.to(phone).get(0).text());
    assertTrue(sms.to(phone).get(0).text().contains("百度暂无法查询"));
  }

  @Test
  void malformedAnswerFailsAtOnceForThatEnterprise() {
    String phone = randomPhone();
    faults.always("enterprise:jd", phone, Fault.malformed());
    String q = submit(phone, "123456", 30_000);
    assertTrue(waitUntil(5_000, () -> finished(q)));
    assertEquals(1, faults.requests("enterprise:jd", phone));
    assertEquals(expectedByRule(phone, "jd"), sms.to(phone).get(0).text());
  }

  @Test
  void enterpriseThatNeverAnswersIsReportedAtTheDeadlineWhileTheOthersAnswerOnTime() {
    String phone = randomPhone();
    faults.always("enterprise:douyin", phone, Fault.hang());
    String q = submit(phone, "123456", 4_000);
    long deadline = Long.parseLong(PipelineFixtures.job(redis, q).get("dl")); // rounded down to the second
    // the others answer at once and are stored on the job while douyin hangs (long before its 4 s
    // deadline; 3.5 s of slack for a cold JVM on a loaded machine, as this test often runs first)
    assertTrue(waitUntil(3_500, () -> PipelineFixtures.job(redis, q).keySet().stream()
        .filter(k -> k.startsWith("e:")).count() == enterprises.size() - 1));
    assertEquals("QUERYING", status(redis, q));
    assertTrue(waitUntil(8_000, () -> finished(q)));
    long late = System.currentTimeMillis() - deadline;
    assertTrue(late >= -100 && late < 2_000, "finished " + late + " ms after the deadline");
    assertEquals("DONE", status(redis, q));
    String text = sms.to(phone).get(0).text();
    assertEquals(expectedByRule(phone, "douyin"), text);
    assertTrue(text.contains("抖音暂无法查询"), text);
    for (EnterpriseConfig e : enterprises) {
      if (!e.id().equals("douyin")) {
        assertEquals(1, faults.requests("enterprise:" + e.id(), phone), e.id());
      }
    }
    faults.always("enterprise:douyin", phone, null);
  }

  @Test
  void deadlineIsEnforcedEvenWhenNoEnterpriseAnswers() {
    String phone = randomPhone();
    for (EnterpriseConfig e : enterprises) {
      faults.always("enterprise:" + e.id(), phone, Fault.status(503));
    }
    String q = submit(phone, "123456", 2_500);
    assertTrue(waitUntil(6_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    String text = sms.to(phone).get(0).text();
    assertTrue(text.contains("微信暂无法查询，QQ暂无法查询，淘宝暂无法查询"), text);
    assertTrue(text.contains("，共0个。"), text);
    for (EnterpriseConfig e : enterprises) {
      faults.always("enterprise:" + e.id(), phone, null);
    }
  }

  @Test
  void longBackOffParksTheJobInRedisAndItResumes() {
    String phone = randomPhone();
    // 100, 200 ms retries stay in memory; the third (about 400 ms > parkAfterMs 300) parks the job
    faults.script("enterprise:meituan", phone, Fault.status(503), Fault.status(503), Fault.status(503));
    double parkedBefore = ctx.metrics.counter("yzt.pipeline.jobs.parked").count();
    String q = submit(phone, "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    assertEquals(4, faults.requests("enterprise:meituan", phone));
    assertEquals(1, faults.requests("enterprise:kuaishou", phone));
    assertTrue(ctx.metrics.counter("yzt.pipeline.jobs.parked").count() > parkedBefore);
    assertEquals(expectedByRule(phone, null), sms.to(phone).get(0).text());
  }

  @Test
  void smsGatewayFailingTransientlyDeliversExactlyOneResult() {
    String phone = randomPhone();
    sms.failNext(3);
    String q = submit(phone, "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("DONE", status(redis, q));
    assertEquals(1, sms.to(phone).size());
    // counted as they reach the gateway: three 503s, then the one that is taken; no other text
    assertEquals(4, sms.callsByMessageId.get(q + "-r"), "tries");
    assertEquals(4, sms.callsByPhone.get(phone), "calls for the number");
    assertEquals(1, faults.requests("enterprise:tencent", phone), "enterprises are not asked again");
  }

  @Test
  void theResultTextIsRetriedUntilOneHourAfterTheDeadlineAndNoLonger() throws Exception {
    String phone = randomPhone();
    // a job whose deadline passed 59 min 57 s ago, left NOTIFYING by a worker: 3 s of retries remain
    sms.failAlways(phone);
    long giveUpAt = System.currentTimeMillis() + 3_000;
    String q = PipelineFixtures.submitInState(redis, ctx.personalData, phone, "000000", giveUpAt - 3_600_000
        - System.currentTimeMillis(), "NOTIFYING", "cv", "MISMATCH");
    assertTrue(waitUntil(10_000, () -> finished(q)), "still " + status(redis, q));
    Map<String, String> job = PipelineFixtures.job(redis, q);
    assertEquals("FAILED", job.get("st"));
    assertEquals("sms", job.get("why"));
    int tries = sms.callsByMessageId.getOrDefault(q + "-f", 0);
    assertTrue(tries >= 3, "retried after the deadline: " + tries + " tries");
    long finishedAt = Long.parseLong(job.get("ua"));
    assertTrue(finishedAt >= giveUpAt - 100, "gave up " + (giveUpAt - finishedAt) + " ms before deadline + 1 h");
    assertTrue(sms.lastCallAt.get(q + "-f") < giveUpAt, "no try after deadline + 1 h");
    // the job's stream entry gone: no run of it is left that could try again, so a late try would be counted by now
    assertTrue(waitUntil(10_000, () -> !PipelineFixtures.inStream(redis, q)), "the given-up job's stream entry deleted");
    assertEquals(tries, sms.callsByMessageId.get(q + "-f"), "no try once given up");
    assertTrue(sms.to(phone).isEmpty());
  }

  @Test
  void aJobThatKeepsFailingGoesToTheDeadLetterStream() {
    double before = ctx.metrics.counter("yzt.pipeline.dead.letters").count();
    String q = PipelineFixtures.await(PipelineFixtures.submitSealed(redis, "bm90LWEtdmFsaWQtc2VhbGVkLXZhbHVl", 30_000));
    assertTrue(waitUntil(10_000, () -> "FAILED".equals(status(redis, q))));
    Map<String, String> job = PipelineFixtures.job(redis, q);
    assertEquals("dead-letter", job.get("why"));
    // SPEC §9: a dead-lettered job loses its personal data
    assertNull(job.get("pd"), "sealed number and ID digits left on " + job.keySet());
    assertTrue(job.keySet().stream().noneMatch(k -> k.startsWith("e:") || k.equals("cv")), job.keySet().toString());
    assertTrue(redisServer.cli("XRANGE", Layout.shardOf(q).deadLetters(), "-", "+").contains(q), "kept for a redrive");
    assertTrue(waitUntil(2_000, () -> ctx.metrics.counter("yzt.pipeline.dead.letters").count() == before + 1));
    // SPEC §9: the sealed copy lives at most pipeline.deadLetterRetentionSeconds (the default week):
    // a week later on the service's clock, the periodic sweep (every 200 ms here) removes it
    clock.advance(java.time.Duration.ofMillis(PipelineConfig.from(ctx.config.getJsonObject("pipeline")).deadLetterRetentionMs() + 1_000));
    assertTrue(waitUntil(3_000, () -> !redisServer.cli("XRANGE", Layout.shardOf(q).deadLetters(), "-", "+").contains(q)),
        "the retention sweep removed the dead letter and its sealed personal data");
  }

  @Test
  void aWorkerThatWokeLateNeitherParksAFinishedJobNorLeavesItsEntryPending() {
    String q = submit(randomPhone(), "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> "DONE".equals(status(redis, q))));
    // a worker paused while another one reclaimed and finished the job wakes up and parks it
    JobStore late = new JobStore(ctx);
    try {
      PipelineFixtures.await(late.park(new JobStore.Entry(Layout.shardOf(q), "1-1", q), System.currentTimeMillis(), 3));
    } finally {
      PipelineFixtures.await(late.close());
    }
    assertTrue(redisServer.cli("ZSCORE", Layout.shardOf(q).delayed(), q).isBlank(), "a finished job is not parked");
    assertNull(PipelineFixtures.job(redis, q).get("ra"), "nothing written to the finished job");
    // had it been woken (or re-queued some other way), its new entry is acknowledged and deleted
    double stopped = PipelineFixtures.passesStopped(ctx);
    String entry = redisServer.cli("XADD", Layout.shardOf(q).stream(), "*", "q", q).trim();
    assertTrue(waitUntil(5_000, () -> redisServer.cli("XRANGE", Layout.shardOf(q).stream(), entry, entry).isBlank()),
        "the finished job's entry left the stream: " + redisServer.cli("XPENDING", Layout.shardOf(q).stream(), "pipeline"));
    assertEquals("DONE", status(redis, q));
    assertTrue(waitUntil(5_000, () -> PipelineFixtures.inFlight(ctx) == 0));
    assertEquals(stopped, PipelineFixtures.passesStopped(ctx), "an outcome, not an error");
  }

  @Test
  void statusMovesThroughTheStagesAndTheStreamEntryIsRemovedWhenDone() {
    String phone = "13600136000"; // the slow demo subscriber: 2.5 s per enterprise
    // the carrier and the SMS service answer late too, so every stage lasts long enough to be seen
    faults.script("carrier:cmcc", phone, Fault.delay(400));
    sms.delayReplies(phone, 400);
    String q = submit(phone, "123456", 30_000);
    List<String> seen = PipelineFixtures.follow(redis, q, 10_000);
    PipelineFixtures.assertStagesInOrder(seen, "DONE", "VERIFYING", "QUERYING", "NOTIFYING");
    assertEquals("DONE", status(redis, q));
    assertTrue(waitUntil(2_000, () -> !redisServer.cli("XRANGE", Layout.shardOf(q).stream(), "-", "+").contains(q)));
  }

  @Test
  void simulatorsRefuseUnsignedOrWronglySignedRequests() throws Exception {
    var client = io.vertx.ext.web.client.WebClient.create(service.vertx());
    int port = service.simulatorPort();
    JsonObject body = new JsonObject().put("requestId", "x").put("phone", "13800138000").put("idLast6", "12345X");
    assertEquals(401, client.post(port, "127.0.0.1", "/carrier/cmcc/v1/real-name/verify").sendJsonObject(body)
        .await(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    var req = client.post(port, "127.0.0.1", "/enterprise/tencent/v1/account-count");
    io.vertx.core.buffer.Buffer buf = body.toBuffer();
    // signed with another enterprise's key
    new org.yzt.partner.RequestSigner("yzt-alibaba", "dev-secret-ent-alibaba")
        .sign(req.headers(), "POST", "/enterprise/tencent/v1/account-count", buf);
    assertEquals(401, req.sendBuffer(buf).await(5, java.util.concurrent.TimeUnit.SECONDS).statusCode());
    client.close();
  }

  @Test
  void carrierIsChosenByPrefix() throws Exception {
    JsonObject ok = service.vertx().eventBus().<JsonObject>request(org.yzt.contract.Addresses.CARRIER_VERIFY,
        new JsonObject().put("phone", "19212345678").put("idLast6", "12345x").put("requestId", "r1"))
        .await(5, java.util.concurrent.TimeUnit.SECONDS).body();
    assertEquals("MATCH", ok.getString("result"));
    assertEquals(1, faults.requests("carrier:cbn", "19212345678"));
    assertEquals(0, faults.requests("carrier:cmcc", "19212345678"));
    try {
      service.vertx().eventBus().request(org.yzt.contract.Addresses.CARRIER_VERIFY,
          new JsonObject().put("phone", "14012345678").put("idLast6", "123456").put("requestId", "r2"))
          .await(5, java.util.concurrent.TimeUnit.SECONDS);
      throw new AssertionError("an unsupported prefix must fail");
    } catch (io.vertx.core.eventbus.ReplyException e) {
      assertEquals(400, e.failureCode());
      assertEquals("UNSUPPORTED_NUMBER", e.getMessage());
    }
  }

  /** The result text for a number served by the default rule, with one enterprise failed (or none). */
  static String expectedByRule(String phone, String failed) {
    StringBuilder sb = new StringBuilder("【一证通查】您的号码" + phone.substring(0, 3) + "****" + phone.substring(7) + "关联的互联网账号：");
    int k = 0;
    int total = 0;
    boolean first = true;
    for (EnterpriseConfig e : enterprises) {
      for (String app : e.apps()) {
        if (!first) {
          sb.append('，');
        }
        first = false;
        int n = (phone.charAt(3 + k % 8) - '0') % 3;
        k++;
        if (e.id().equals(failed)) {
          sb.append(app).append("暂无法查询");
        } else {
          sb.append(app).append(n).append('个');
          total += n;
        }
      }
    }
    return sb.append("，共").append(total).append("个。如有异议，请在查询页“解绑与明细查询”或拨打企业客服电话处理。").toString();
  }
}
