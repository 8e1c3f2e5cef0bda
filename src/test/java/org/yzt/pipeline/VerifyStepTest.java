package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.frontdoor.PipelineFixtures.status;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.store.JobFields;
import org.yzt.testing.Layout;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * VERIFYING's ways out besides a verdict that comes at once (SPEC §3): a number the carrier refuses, a carrier
 * silent until the deadline, a retry far enough away to park the job, a verdict stored by an earlier pass, and
 * one nobody understands.
 */
class VerifyStepTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(VerifyStepTest::config);

  static PipelineFixtures.SmsStub sms;
  static AppContext ctx;
  static SimFaults faults;

  static JsonObject config(RedisServer redis) {
    return TestService.config(redis, PipelineFixtures.pipelineRoles().put("pipeline", new JsonObject()
        .put("retryInitialMs", 100).put("retryMaxMs", 400).put("parkAfterMs", 300).put("wakeIntervalMs", 50)
        .put("blockMs", 200).put("claimIdleMs", 600).put("maxDeliveries", 1)));
  }

  @BeforeAll
  static void stub() {
    sms = new PipelineFixtures.SmsStub(app.service().vertx());
    ctx = app.service().context();
    faults = ctx.shared(SimFaults.class, SimFaults::new);
  }

  private static String field(String q, String f) {
    return PipelineFixtures.job(ctx.redis, q).get(f);
  }

  private static boolean finished(String q) {
    String st = status(ctx.redis, q);
    return "DONE".equals(st) || "FAILED".equals(st);
  }

  @Test
  void aNumberNoCarrierServesFailsAtOnceWithoutAText() {
    String phone = Numbers.fresh("140"); // a prefix no configured carrier serves: an invalid request, not a retry
    String q = PipelineFixtures.submitInState(ctx.redis, ctx.personalData, phone, "123456", 30_000, "ACCEPTED");
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("FAILED", status(ctx.redis, q));
    assertEquals("unsupported-number", field(q, JobFields.WHY));
    assertTrue(sms.to(phone).isEmpty());
  }

  @Test
  void aCarrierSilentUntilTheDeadlineFailsItUnverifiedWithoutAText() {
    String phone = Numbers.fresh("138");
    faults.always("carrier:cmcc", phone, Fault.status(503));
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 1_500);
    assertTrue(waitUntil(15_000, () -> finished(q)));
    assertEquals("FAILED", status(ctx.redis, q));
    assertEquals("unverified", field(q, JobFields.WHY));
    assertTrue(sms.to(phone).isEmpty());
  }

  @Test
  void aCarrierRetryFarAwayParksTheJobAtVerifyingAndItResumes() {
    String phone = Numbers.fresh("138");
    // 100, 200 ms retries stay in memory; the third (about 400 ms, over parkAfterMs 300) parks the job
    faults.script("carrier:cmcc", phone, Fault.status(503), Fault.status(503), Fault.status(503));
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> !app.redis().cli("ZSCORE", Layout.shardOf(q).delayed(), q).isBlank()),
        "parked");
    assertEquals("VERIFYING", status(ctx.redis, q));
    assertTrue(waitUntil(15_000, () -> finished(q)));
    assertEquals("DONE", status(ctx.redis, q));
    assertEquals(4, faults.requests("carrier:cmcc", phone));
    assertEquals(1, sms.to(phone).size());
  }

  @Test
  void aVerdictAnEarlierPassStoredIsNotAskedForAgain() {
    String phone = Numbers.fresh("138");
    String q = PipelineFixtures.submitInState(ctx.redis, ctx.personalData, phone, "123456", 30_000, "VERIFYING",
        JobFields.VERDICT, "MATCH");
    assertTrue(waitUntil(10_000, () -> finished(q)));
    assertEquals("DONE", status(ctx.redis, q));
    assertEquals(0, faults.requests("carrier:cmcc", phone), "the stored verdict stands");
    assertEquals(1, sms.to(phone).size());
  }

  @Test
  void aVerdictNobodyUnderstandsStopsThePassUntilTheJobIsDeadLettered() {
    String phone = Numbers.fresh("138");
    String q = PipelineFixtures.submitInState(ctx.redis, ctx.personalData, phone, "123456", 30_000, "VERIFYING",
        JobFields.VERDICT, "MAYBE");
    assertTrue(waitUntil(15_000, () -> finished(q)));
    assertEquals("FAILED", status(ctx.redis, q));
    assertEquals("dead-letter", field(q, JobFields.WHY));
    assertTrue(sms.to(phone).isEmpty(), "no text on a verdict not understood");
  }
}
