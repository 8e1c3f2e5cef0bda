package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.store.JobFields;
import org.yzt.testing.Layout;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * A worker that stops (SIGTERM, a rolling upgrade) hands its jobs back; what their passes held back
 * ({@code pipeline.stepLingerMs}, issue 23) is written first, so the worker that resumes a job goes on from
 * the stage it had reached instead of asking its peers again.
 */
class HeldWritesOnStopTest {
  @Test
  void aStoppingWorkerWritesWhatItsPassesHeldBeforeHandingThemBack() {
    try (RedisServer redis = RedisServer.startNew()) {
      // a hold far longer than the test: only the stop can write it
      TestService service = TestService.start(TestService.config(redis, PipelineFixtures.pipelineRoles()
          .put("pipeline", new JsonObject().put("stepLingerMs", 600_000))));
      String q;
      try {
        PipelineFixtures.SmsStub sms = new PipelineFixtures.SmsStub(service.vertx());
        String phone = Numbers.fresh("138");
        sms.delayReplies(phone, 600_000); // the text is on its way when the worker stops
        q = PipelineFixtures.submitNow(service.context(), phone, "123456", 60_000);
        assertTrue(waitUntil(10_000, () -> sms.callsByPhone.getOrDefault(phone, 0) >= 1), "the text asked for");
        assertEquals("VERIFYING", redis.cli("HGET", Layout.job(q), "st").trim(),
            "the verdict and the answers held for the finish");
      } finally {
        service.stopGracefully();
      }
      assertEquals("NOTIFYING", redis.cli("HGET", Layout.job(q), "st").trim(), "written as the worker stopped");
      assertEquals("MATCH", redis.cli("HGET", Layout.job(q), JobFields.VERDICT).trim());
      assertTrue(redis.cli("HKEYS", Layout.job(q)).contains("e:"), "the answers stored");
      assertFalse(redis.cli("ZSCORE", Layout.shardOf(q).delayed(), q).isBlank(), "handed back (parked, due now)");
    }
  }
}
