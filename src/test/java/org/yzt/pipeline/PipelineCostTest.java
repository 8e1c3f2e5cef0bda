package org.yzt.pipeline;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisMonitor;
import org.yzt.testing.ServiceExtension;

/**
 * What a completed query costs the pipeline in Redis round trips on its job, counted rather than
 * timed (issue 9): picking it up, storing the carrier's verdict, storing the eight enterprise
 * answers (which land together here) with the move to NOTIFYING, and finishing it. Answers that
 * each took their own write, or a separate write to end the stage, show here. And what those scripts
 * run on the record (issue 23: each redis.call inside a script costs Redis a few µs whatever it does).
 */
class PipelineCostTest {
  // a linger far longer than the simulators take: the answers go in the write that the last one completes
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("pipeline", new JsonObject().put("answerLingerMs", 60_000)));

  @Test
  void aCompletedQueryIsFourScriptCallsOnItsJob() {
    Run run = oneQueryToTheEnd();
    String jobKey = "\"" + Layout.job(run.queryId()) + "\"";
    List<String> onTheJob = run.commands().stream()
        // scripts only: the status look-ups of this test (HMGET) are not the pipeline's
        .filter(c -> !c.fromScript() && c.name().startsWith("EVAL") && c.line().contains(jobKey))
        .map(RedisMonitor.Command::name)
        .toList();
    // the front door's submission is the first; the pipeline's load, verdict, answers, finish follow
    assertEquals(List.of("EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA", "EVALSHA"), onTheJob,
        "round trips naming the job: submission + pickup, verdict, answers with the end of QUERYING, finish");
  }

  /**
   * job_load.lua reads the record once (HGETALL, the status among its fields: no HGET before it), and
   * job_advance.lua looks at the status and the reclaim count in one HMGET and deletes fields only in the
   * step that drops the personal data (the reclaim count exists only after a reclaim: no HDEL of it on
   * every step). Before: four HGET and three HDEL more per job.
   */
  @Test
  void aJobsScriptsReadItsRecordOnceAndDeleteFieldsOnlyWhenItEnds() {
    Run run = oneQueryToTheEnd();
    String jobKey = "\"" + Layout.job(run.queryId()) + "\"";
    java.util.Map<String, Integer> onTheRecord = new java.util.TreeMap<>();
    for (RedisMonitor.Command c : run.commands()) {
      if (c.fromScript() && c.line().contains(jobKey)) {
        onTheRecord.merge(c.name(), 1, Integer::sum);
      }
    }
    System.out.println("commands of the job's scripts on its record: " + onTheRecord);
    assertEquals(1, onTheRecord.getOrDefault("HGETALL", 0), "the record read once " + onTheRecord);
    assertEquals(0, onTheRecord.getOrDefault("HGET", 0), "no status read apart " + onTheRecord);
    assertEquals(1, onTheRecord.getOrDefault("HDEL", 0), "fields deleted once, with the personal data " + onTheRecord);
  }

  private record Run(String queryId, List<RedisMonitor.Command> commands) {}

  /** One query from submission to DONE, its result text out, with every command Redis saw meanwhile. */
  private static Run oneQueryToTheEnd() {
    Api api = app.api();
    String phone = Numbers.fresh();
    String code = api.codeFor(phone);
    try (RedisMonitor monitor = RedisMonitor.start(app.redis())) {
      var accepted = api.submit(phone, "12345X", code);
      assertEquals(202, accepted.statusCode());
      String q = accepted.bodyAsJsonObject().getString("queryId");
      assertTrue(org.yzt.testing.Wait.waitUntil(20_000, () -> api.inbox(phone).encode().contains("关联的互联网账号")),
          "the result text went out");
      assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> "DONE".equals(api.queryStatus(q))), "the job is DONE");
      return new Run(q, monitor.commands());
    }
  }
}
