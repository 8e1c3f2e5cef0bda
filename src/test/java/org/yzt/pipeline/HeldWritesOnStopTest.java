package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
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
      // a hold far longer than the test: only the stop can write it; one worker holds every pass
      TestService service = TestService.start(TestService.config(redis, PipelineFixtures.pipelineRoles()
          .put("pipeline", new JsonObject().put("stepLingerMs", 600_000))
          .put("verticles", new JsonObject().put("pipeline", new JsonObject().put("instances", 1)))));
      List<String> jobs = new ArrayList<>();
      try {
        PipelineFixtures.SmsStub sms = new PipelineFixtures.SmsStub(service.vertx());
        // two jobs on two shards whose stream entries have the same id (an id is unique in its stream only)
        String first = Layout.newQueryId();
        String second = Layout.newQueryId();
        while (Layout.shardOf(second).index() == Layout.shardOf(first).index()) {
          second = Layout.newQueryId();
        }
        for (String q : List.of(first, second)) {
          String phone = Numbers.fresh("138");
          sms.delayReplies(phone, 600_000); // the text is on its way when the worker stops
          submitWithEntryId(service, redis, q, phone, "7-1");
          jobs.add(q);
          assertTrue(waitUntil(10_000, () -> sms.callsByPhone.getOrDefault(phone, 0) >= 1), "the text asked for");
          // the end of QUERYING is held for the finish (answers that came apart may have been written)
          String st = redis.cli("HGET", Layout.job(q), "st").trim();
          assertTrue(st.equals("VERIFYING") || st.equals("QUERYING"), "held for the finish: " + st);
        }
      } finally {
        service.stopGracefully();
      }
      for (String q : jobs) {
        assertEquals("NOTIFYING", redis.cli("HGET", Layout.job(q), "st").trim(), "written as the worker stopped");
        assertEquals("MATCH", redis.cli("HGET", Layout.job(q), JobFields.VERDICT).trim());
        assertTrue(redis.cli("HKEYS", Layout.job(q)).contains("e:"), "the answers stored");
        assertFalse(redis.cli("ZSCORE", Layout.shardOf(q).delayed(), q).isBlank(), "handed back (parked, due now)");
      }
    }
  }

  /** An accepted job, as the submission stores it, whose stream entry gets the id {@code entryId}. */
  private static void submitWithEntryId(TestService service, RedisServer redis, String q, String phone, String entryId) {
    long now = System.currentTimeMillis();
    String sealed = service.context().personalData.encrypt(q, JobFields.PERSONAL,
        new JsonObject().put("phone", phone).put("idLast6", "123456"));
    redis.cli("HSET", Layout.job(q), "st", "ACCEPTED", "ca", Long.toString(now), "dl", Long.toString(now + 60_000),
        "pd", sealed, "rid", "req-" + q);
    assertEquals(entryId, redis.cli("XADD", Layout.shardOf(q).stream(), entryId, "q", q).trim());
  }
}
