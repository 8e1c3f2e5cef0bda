package org.yzt.pipeline;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.store.JobFields;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisMonitor;
import org.yzt.testing.ServiceExtension;

/**
 * What a completed query costs the pipeline in Redis round trips on its job, counted rather than
 * timed (issue 9): picking it up and finishing it, the carrier's verdict and the eight enterprise
 * answers (which land together here) held for the finishing write to take over (issue 23:
 * {@code pipeline.stepLingerMs}). Answers that each took their own write, or a separate write for the
 * verdict or to end a stage, show here. And what those scripts
 * run on the record (issue 23: each redis.call inside a script costs Redis a few µs whatever it does).
 */
class PipelineCostTest {
  // a linger far longer than the simulators take: the answers go in the write that the last one completes
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("pipeline", new JsonObject().put("answerLingerMs", 60_000)));

  @Test
  void aCompletedQueryIsTwoScriptCallsOnItsJobAfterItsSubmission() {
    Run run = oneQueryToTheEnd();
    String jobKey = "\"" + Layout.job(run.queryId()) + "\"";
    // scripts only: the status look-ups of this test (HMGET) are not the pipeline's; a script that reads the
    // record without naming it (jobs_take.lua: the pick-up with the read) counts as well
    List<String> onTheJob = roundTripsOnRecords(run.commands(), List.of(jobKey)).stream()
        .map(RedisMonitor.Command::name)
        .filter(name -> name.startsWith("EVAL"))
        .toList();
    // the front door's submission is the first; the pipeline's pick-up and finish follow: an idle worker's
    // blocking read delivers the entry, and its job is picked up by a script of its own; the simulators answer
    // within the step linger, so the verdict and the answers go in the finishing write (before: five)
    assertEquals(List.of("EVALSHA", "EVALSHA", "EVALSHA"), onTheJob,
        "round trips on the job: submission, pickup, finish with the verdict and the end of QUERYING taken over");
  }

  /**
   * Issue 23: a busy worker picks jobs up with the read that delivers their entries (jobs_take.lua), and
   * the entries of a blocking read with one script per shard, not one job_load.lua each. Twelve jobs land
   * on one shard at once: their pick-ups are a few round trips, not twelve (before: twelve).
   */
  @Test
  void aBatchOfJobsIsPickedUpInAFewRoundTripsNotOneAJob() {
    var ctx = app.service().context();
    Shard shard = Layout.KEYS.shard(3);
    List<String> ids = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    Request write = Request.cmd(Command.EVAL).arg(String.join("\n",
        "for i = 1, #KEYS - 1 do",
        "  redis.call('HSET', KEYS[i], 'st', 'ACCEPTED', 'ca', ARGV[1], 'dl', ARGV[2], 'pd', ARGV[2 + i], 'rid', 'r')",
        "  redis.call('XADD', KEYS[#KEYS], '*', 'q', string.sub(KEYS[i], #ARGV[#ARGV] + 1))",
        "end",
        "return 1"));
    List<String> sealed = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String q = RedisKeys.queryId(shard);
      ids.add(q);
      keys.add(shard.job(q));
      sealed.add(ctx.personalData.encrypt(q, JobFields.PERSONAL,
          new JsonObject().put("phone", Numbers.fresh()).put("idLast6", "12345X")));
    }
    write.arg(keys.size() + 1);
    keys.forEach(write::arg);
    write.arg(shard.stream());
    long now = System.currentTimeMillis();
    write.arg(now).arg(now + 60_000);
    sealed.forEach(write::arg);
    write.arg(shard.job(""));
    List<RedisMonitor.Command> seen;
    try (RedisMonitor monitor = RedisMonitor.start(app.redis())) {
      PipelineFixtures.await(ctx.redis.send(write));
      for (String q : ids) {
        assertTrue(Wait.waitUntil(20_000, () -> "DONE".equals(PipelineFixtures.status(ctx.redis, q))), "job done");
      }
      seen = monitor.commands();
    }
    List<String> quoted = keys.stream().map(k -> "\"" + k + "\"").toList();
    // a pick-up reads the record whole (HGETALL); the verdict, answers and finish do not
    List<RedisMonitor.Command> pickups = roundTripsOnRecords(seen, quoted, "HGETALL");
    long records = seen.stream().filter(c -> c.fromScript() && c.name().equals("HGETALL")
        && quoted.stream().anyMatch(c.line()::contains)).count();
    assertEquals(12, records, "each job picked up once");
    System.out.println("round trips that picked up the 12 jobs: " + pickups.size());
    assertTrue(pickups.size() <= 4, pickups.size() + " round trips picked up 12 jobs");
  }

  /**
   * The round trips (client commands) that touched one of {@code keys}: naming it, or by a command of their
   * script (MONITOR shows a script's commands right after its EVAL/EVALSHA line); with {@code inScript}, only
   * those whose script ran that command on one of the keys.
   */
  private static List<RedisMonitor.Command> roundTripsOnRecords(List<RedisMonitor.Command> commands, List<String> keys,
      String... inScript) {
    List<RedisMonitor.Command> out = new ArrayList<>();
    RedisMonitor.Command current = null;
    boolean counted = false;
    for (RedisMonitor.Command c : commands) {
      if (!c.fromScript()) {
        current = c;
        counted = false;
        if (inScript.length == 0 && keys.stream().anyMatch(c.line()::contains)) {
          out.add(c);
          counted = true;
        }
      } else if (current != null && !counted && keys.stream().anyMatch(c.line()::contains)
          && (inScript.length == 0 || List.of(inScript).contains(c.name()))) {
        out.add(current);
        counted = true;
      }
    }
    return out;
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
