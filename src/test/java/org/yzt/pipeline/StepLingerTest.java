package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.frontdoor.PipelineFixtures.status;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.config.EnterpriseConfig;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults;
import org.yzt.store.JobFields;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * Issue 23, {@code pipeline.stepLingerMs}: the end of a stage waits for the next write to take it over.
 * The finishing write takes over what was held. (How many writes a query costs is counted in
 * {@link PipelineCostTest}; held writes that go out on their own, when the job parks, or after Redis
 * refused them, in {@link OutcomeWriterTest}; that a slow step's stage is stored when the time is up, in
 * {@code PipelineFlowTest}, where every stage is seen.)
 */
class StepLingerTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(StepLingerTest::config);

  static PipelineFixtures.SmsStub sms;
  static AppContext ctx;
  static SimFaults faults;

  static JsonObject config(RedisServer redis) {
    return TestService.config(redis, PipelineFixtures.pipelineRoles()
        .put("pipeline", new JsonObject().put("stepLingerMs", 100)));
  }

  @BeforeAll
  static void stub() {
    sms = new PipelineFixtures.SmsStub(app.service().vertx());
    ctx = app.service().context();
    faults = ctx.shared(SimFaults.class, SimFaults::new);
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
    assertAskedOnce(phone);
    assertEquals(1, sms.to(phone).size());
  }

  private static void assertAskedOnce(String phone) {
    assertEquals(1, faults.requests("carrier:cmcc", phone), "the carrier asked once");
    for (EnterpriseConfig e : EnterpriseConfig.all(ctx.config)) {
      assertEquals(1, faults.requests("enterprise:" + e.id(), phone), e.id() + " asked once");
    }
  }
}
