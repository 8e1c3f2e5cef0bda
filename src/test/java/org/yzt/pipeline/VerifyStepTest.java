package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.frontdoor.PipelineFixtures.status;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;
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
 * VERIFYING's ways out (SPEC §3): a MATCH verdict held for the finishing write to take over
 * ({@code pipeline.stepLingerMs}, issue 23: how many writes that is, {@link PipelineCostTest}; held writes in
 * detail, {@link OutcomeWriterTest}), a number no carrier serves, a carrier silent until the deadline, a
 * retry far enough away to park the job, a verdict stored by an earlier pass, one nobody understands, a state
 * nobody knows, and a verdict that comes after another worker moved the job on.
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

  private double stoppedBefore;
  private double reclaimedBefore;
  /** Whether this test's job is meant to stop a pass (a verdict nobody understands, a state nobody knows). */
  private boolean stops;

  @BeforeEach
  void countStops() {
    stoppedBefore = PipelineFixtures.passesStopped(ctx);
    reclaimedBefore = PipelineFixtures.jobsReclaimed(ctx);
    stops = false;
  }

  /**
   * Every way out of VERIFYING is an outcome of the pass that took it, never an error left for a reclaim to
   * repair, nor a pass that never ends: either would still see the job end, so only the meters tell.
   */
  @AfterEach
  void noPassStoppedUnlessMeantTo() {
    // a pass whose future never completes would hold its worker's slot for good, its job done all the same
    assertTrue(waitUntil(5_000, () -> PipelineFixtures.inFlight(ctx) == 0), "every pass let go of its job");
    if (stops) {
      assertTrue(PipelineFixtures.passesStopped(ctx) > stoppedBefore, "the pass stopped and the meter says so");
    } else {
      assertEquals(stoppedBefore, PipelineFixtures.passesStopped(ctx), "no pass ended in error");
      // nor did a pass leave its job for a reclaim (claimIdleMs 600 here) to finish
      assertEquals(reclaimedBefore, PipelineFixtures.jobsReclaimed(ctx), "no job taken over from its worker");
    }
  }

  private static String field(String q, String f) {
    return PipelineFixtures.job(ctx.redis, q).get(f);
  }

  /** A job an earlier pass left VERIFYING with {@code verdict} stored, run to its end. */
  private static String endedFromStoredVerdict(String phone, String verdict) {
    String q = PipelineFixtures.submitInState(ctx.redis, ctx.personalData, phone, "123456", 30_000, "VERIFYING",
        JobFields.VERDICT, verdict);
    assertTrue(waitUntil(15_000, () -> finished(q)));
    return q;
  }

  /** The job ends FAILED for {@code why}, and no text goes to {@code phone}. */
  private static void assertFailedWithoutText(String q, String phone, String why) {
    assertTrue(waitUntil(15_000, () -> finished(q)));
    assertEquals("FAILED", status(ctx.redis, q));
    assertEquals(why, field(q, JobFields.WHY));
    assertTrue(sms.to(phone).isEmpty(), "no text");
  }

  private static boolean finished(String q) {
    String st = status(ctx.redis, q);
    return "DONE".equals(st) || "FAILED".equals(st);
  }

  @Test
  void aQueryWhosePeersAnswerInTimeIsFinishedFromTheStateItWasPickedUpIn() {
    String phone = Numbers.fresh("138");
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 60_000);
    assertTrue(waitUntil(10_000, () -> "DONE".equals(status(ctx.redis, q))));
    Map<String, String> job = PipelineFixtures.job(ctx.redis, q);
    assertNull(job.get(JobFields.PERSONAL), "the personal data dropped");
    assertTrue(job.keySet().stream().noneMatch(f -> f.startsWith("e:")), "no answer kept: " + job.keySet());
    // the job was still VERIFYING in Redis when the text went: a finish that expected NOTIFYING alone would
    // have found it there and begun again
    assertEquals(1, faults.requests("carrier:cmcc", phone), "the carrier asked once");
    for (EnterpriseConfig e : EnterpriseConfig.all(ctx.config)) {
      assertEquals(1, faults.requests("enterprise:" + e.id(), phone), e.id() + " asked once");
    }
    assertEquals(1, sms.to(phone).size());
  }

  @Test
  void aNumberNoCarrierServesFailsAtOnceWithoutAText() {
    String phone = Numbers.fresh("140"); // a prefix no configured carrier serves: an invalid request, not a retry
    String q = PipelineFixtures.submitInState(ctx.redis, ctx.personalData, phone, "123456", 30_000, "ACCEPTED");
    assertFailedWithoutText(q, phone, "unsupported-number");
  }

  @Test
  void aCarrierSilentUntilTheDeadlineFailsItUnverifiedWithoutAText() {
    String phone = Numbers.fresh("138");
    faults.always("carrier:cmcc", phone, Fault.status(503));
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 1_500);
    assertFailedWithoutText(q, phone, "unverified");
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
    String q = endedFromStoredVerdict(phone, "MATCH");
    assertEquals("DONE", status(ctx.redis, q));
    assertEquals(0, faults.requests("carrier:cmcc", phone), "the stored verdict stands");
    assertEquals(1, sms.to(phone).size());
  }

  @Test
  void aStateNobodyKnowsStopsThePassUntilTheJobIsDeadLettered() {
    // a state this release does not know (a newer release's, say) is not guessed at
    stops = true;
    String phone = Numbers.fresh("138");
    String q = PipelineFixtures.submitInState(ctx.redis, ctx.personalData, phone, "123456", 30_000, "WAITING");
    assertFailedWithoutText(q, phone, "dead-letter");
    assertEquals(0, faults.requests("carrier:cmcc", phone), "nothing asked");
  }

  @Test
  void aVerdictNobodyUnderstandsStopsThePassUntilTheJobIsDeadLettered() {
    String phone = Numbers.fresh("138");
    stops = true;
    assertFailedWithoutText(endedFromStoredVerdict(phone, "MAYBE"), phone, "dead-letter");
  }

  /**
   * Another worker moved the job on (SPEC §3: the stored job is the truth; a worker paused past
   * {@code pipeline.claimIdleMs} finds its job reclaimed and further along) while this pass waited for the
   * carrier. Its answers are refused and it reads the job again: the one text goes out with the answers
   * stored, not with what it heard itself. No pass stops on the way (checked after each test).
   */
  @Test
  void aJobMovedOnByAnotherWorkerWhileTheCarrierWasAskedEndsWithTheAnswersStored() {
    String phone = Numbers.fresh("138");
    List<EnterpriseConfig> enterprises = EnterpriseConfig.all(ctx.config);
    // the carrier's verdict comes late enough for the job to move on meanwhile; the first enterprise then
    // answers at once and the others later, so its answer is written (and refused) while they are out
    for (EnterpriseConfig e : enterprises.subList(1, enterprises.size())) {
      faults.always("enterprise:" + e.id(), phone, Fault.delay(600));
    }
    String q = whileTheCarrierIsAsked(phone, () -> PipelineFixtures.submitNow(ctx, phone, "123456", 60_000));
    // the other worker ended QUERYING without the second enterprise's answer, which this pass hears and
    // holds: what is stored wins over what the pass holds as well as over what Redis refused it
    Map<String, Map<String, Integer>> theirs = new LinkedHashMap<>();
    List<String> fields = new ArrayList<>();
    int n = 40;
    for (EnterpriseConfig e : enterprises) {
      if (e == enterprises.get(1)) {
        continue;
      }
      Map<String, Integer> counts = new LinkedHashMap<>();
      for (String appName : e.apps()) {
        counts.put(appName, ++n);
      }
      theirs.put(e.id(), counts);
      fields.add(JobFields.answer(e.id()));
      fields.add(ctx.personalData.encrypt(q, JobFields.answer(e.id()), new JsonObject().put("a", new JsonObject(new LinkedHashMap<>(counts)))));
    }
    assertMovedOnEndsWith(q, phone, fields, ResultText.result(phone, enterprises, theirs));
    for (EnterpriseConfig e : enterprises) {
      assertEquals(1, faults.requests("enterprise:" + e.id(), phone), e.id() + " asked once");
    }
  }

  /** The same for a phone-card job (SPEC §13): the card counts stored, not those this pass heard. */
  @Test
  void aCardJobMovedOnByAnotherWorkerWhileTheCarrierWasAskedEndsWithTheCountsStored() {
    String phone = Numbers.fresh("138");
    String idNumber = "11010519491231002X";
    List<CarrierConfig> carriers = CarrierConfig.all(ctx.config);
    for (CarrierConfig c : carriers.subList(1, carriers.size())) {
      faults.always("carrier-cards:" + c.id(), idNumber, Fault.delay(600));
    }
    String q = whileTheCarrierIsAsked(phone, () -> PipelineFixtures.submitCardNow(ctx, phone, "张三", idNumber, 60_000));
    Map<String, Integer> theirs = new LinkedHashMap<>();
    List<String> fields = new ArrayList<>();
    for (CarrierConfig c : carriers) {
      if (c != carriers.get(1)) {
        theirs.put(c.id(), 5 + theirs.size());
        fields.add(JobFields.cardAnswer(c.id()));
        fields.add(ctx.personalData.encrypt(q, JobFields.cardAnswer(c.id()), new JsonObject().put("n", theirs.get(c.id()))));
      }
    }
    assertMovedOnEndsWith(q, phone, fields, ResultText.cardResult(carriers, theirs));
    for (CarrierConfig c : carriers) {
      assertEquals(1, faults.requests("carrier-cards:" + c.id(), idNumber), c.id() + " asked once");
    }
  }

  /** Submits with the number's carrier answering in 1.5 s, and answers the query id once it was asked. */
  private static String whileTheCarrierIsAsked(String phone, Supplier<String> submit) {
    faults.always("carrier:cmcc", phone, Fault.delay(1_500));
    String q = submit.get();
    assertTrue(waitUntil(10_000, () -> faults.requests("carrier:cmcc", phone) == 1), "the carrier asked");
    return q;
  }

  /** Another worker's doing: the verdict and its answers stored, the job NOTIFYING; then one text, {@code text}. */
  private static void assertMovedOnEndsWith(String q, String phone, List<String> answers, String text) {
    List<String> hset = new ArrayList<>(List.of("HSET", Layout.job(q), JobFields.STATE, "NOTIFYING",
        JobFields.VERDICT, "MATCH"));
    hset.addAll(answers);
    app.redis().cli(hset.toArray(String[]::new));
    assertTrue(waitUntil(15_000, () -> "DONE".equals(status(ctx.redis, q))), "the job ended DONE");
    assertTrue(waitUntil(5_000, () -> !sms.to(phone).isEmpty()));
    assertEquals(List.of(text), sms.to(phone).stream().map(PipelineFixtures.SmsStub.Sms::text).toList(),
        "one text, with the stored answers and no other");
  }
}
