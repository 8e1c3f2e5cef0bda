package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.frontdoor.PipelineFixtures.status;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
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
 * A pass whose job another worker moved on meanwhile (SPEC §3: the stored job is the truth; a worker paused
 * past {@code pipeline.claimIdleMs} finds its job reclaimed and further along). Its own answers are refused,
 * and it reads the job again: the one text goes out with the answers stored, not with what it heard itself.
 */
class JobMovedOnTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(JobMovedOnTest::config);

  static PipelineFixtures.SmsStub sms;
  static AppContext ctx;
  static SimFaults faults;

  static JsonObject config(RedisServer redis) {
    return TestService.config(redis, PipelineFixtures.pipelineRoles().put("pipeline", new JsonObject()
        .put("blockMs", 200).put("claimIdleMs", 30_000)));
  }

  @BeforeAll
  static void stub() {
    sms = new PipelineFixtures.SmsStub(app.service().vertx());
    ctx = app.service().context();
    faults = ctx.shared(SimFaults.class, SimFaults::new);
  }

  private static double stopped() {
    return PipelineFixtures.passesStopped(ctx);
  }

  @Test
  void aPassWhoseAnswersAreRefusedSendsTheAnswersStoredByTheWorkerThatMovedItsJobOn() {
    String phone = Numbers.fresh("138");
    List<EnterpriseConfig> enterprises = EnterpriseConfig.all(ctx.config);
    // the carrier's verdict comes late enough for the job to move on meanwhile; the first enterprise then
    // answers at once and the others later, so its answer is written (and refused) while they are out
    faults.always("carrier:cmcc", phone, Fault.delay(1_500));
    for (EnterpriseConfig e : enterprises.subList(1, enterprises.size())) {
      faults.always("enterprise:" + e.id(), phone, Fault.delay(600));
    }
    double stoppedBefore = stopped();
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 60_000);
    assertTrue(waitUntil(10_000, () -> faults.requests("carrier:cmcc", phone) == 1), "the carrier asked");

    // another worker's doing: the verdict and its answers stored, the job NOTIFYING
    Map<String, Map<String, Integer>> theirs = new LinkedHashMap<>();
    List<String> hset = new ArrayList<>(List.of("HSET", Layout.job(q), JobFields.STATE, "NOTIFYING",
        JobFields.VERDICT, "MATCH"));
    int n = 40;
    // it ended QUERYING without the second enterprise's answer, which this pass hears and holds: what is
    // stored wins over what the pass holds as well as over what Redis refused it
    EnterpriseConfig unanswered = enterprises.get(1);
    for (EnterpriseConfig e : enterprises) {
      if (e == unanswered) {
        continue;
      }
      Map<String, Integer> counts = new LinkedHashMap<>();
      JsonObject sealed = new JsonObject();
      for (String appName : e.apps()) {
        counts.put(appName, ++n);
        sealed.put(appName, n);
      }
      theirs.put(e.id(), counts);
      String field = JobFields.answer(e.id());
      hset.add(field);
      hset.add(ctx.personalData.encrypt(q, field, new JsonObject().put("a", sealed)));
    }
    app.redis().cli(hset.toArray(String[]::new));

    assertTrue(waitUntil(15_000, () -> "DONE".equals(status(ctx.redis, q))), "the job ended DONE");
    assertTrue(waitUntil(5_000, () -> !sms.to(phone).isEmpty()));
    assertEquals(List.of(ResultText.result(phone, enterprises, theirs)),
        sms.to(phone).stream().map(PipelineFixtures.SmsStub.Sms::text).toList(),
        "one text, with the stored answers and no other");
    for (EnterpriseConfig e : enterprises) {
      assertEquals(1, faults.requests("enterprise:" + e.id(), phone), e.id() + " asked once");
    }
    assertEquals(stoppedBefore, stopped(), "the pass read the job again rather than fail");
    assertTrue(waitUntil(5_000, () -> PipelineFixtures.inFlight(ctx) == 0), "the pass let go of its job");
  }
}
