package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.store.JobFields;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.frontdoor.PipelineFixtures.status;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.cli.Cli;
import org.yzt.privacy.Ids;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.config.PipelineConfig;
import org.yzt.testing.ManualClock;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §11, the pipeline looking after itself: reclaim counts reset by progress, consumers of dead
 * workers removed, the dead-letter stream capped and its jobs stripped of personal data, and a
 * dead-lettered job re-driven by the real {@code admin dead-letters} command.
 */
class PipelineHealingTest {
  static JsonObject config;
  /** Moved a week on by the retention test, instead of a retention shortened to seconds and waited out. */
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(PipelineHealingTest::config).withClock(clock);

  static PipelineFixtures.SmsStub sms;
  static AppContext ctx;
  static SimFaults faults;

  /**
   * A poisoned job is dead-lettered after two reclaims, each between claimIdleMs and 1.5 times it:
   * claimIdleMs is 1 s (2 s before), the most of the four dead-letter tests' time. It stays well above
   * consumerIdleMs + pruneIntervalMs, so an idle consumer holding an entry is pruned-at (and must
   * survive) well before a live worker could reclaim that entry from it.
   */
  static JsonObject config(RedisServer redis) {
    config = TestService.config(redis, PipelineFixtures.pipelineRoles()
        .put("redis", new JsonObject().put("commandTimeoutMs", 600))
        .put("pipeline", new JsonObject().put("retryInitialMs", 100).put("retryMaxMs", 1000).put("blockMs", 200)
            .put("claimIdleMs", 1000).put("maxDeliveries", 1).put("deadLetterMax", 3)
            .put("consumerIdleMs", 300).put("pruneIntervalMs", 100)
            .put("deadLetterSweepMs", 200) // the retention is the default week
            // every stage's end written at once: the reclaim tests pause Redis while a stage's write is on its way
            .put("stepLingerMs", 0)));
    return config;
  }

  @BeforeAll
  static void stub() {
    sms = new PipelineFixtures.SmsStub(app.service().vertx());
    ctx = app.service().context();
    faults = ctx.shared(SimFaults.class, SimFaults::new);
  }

  /** The shard of the jobs these tests write by hand: one stream, one dead-letter stream (capped). */
  static final Shard S0 = Layout.KEYS.shard(0);

  static String randomPhone() {
    return org.yzt.testing.Numbers.fresh("138");
  }

  /** A job hash in a state no worker understands: every pass fails, so it is reclaimed until dead-lettered. */
  /** A job in a state no step knows, so every pass fails; its personal data sealed for it. */
  static String poisonedJob(String phone) {
    String q = RedisKeys.queryId(S0);
    String sealed = ctx.personalData.encrypt(q, JobFields.PERSONAL, new JsonObject().put("phone", phone).put("idLast6", "123456"));
    long now = System.currentTimeMillis();
    app.redis().cli("HSET", S0.job(q), "st", "WEIRD", "ca", Long.toString(now), "ua", Long.toString(now),
        "dl", Long.toString(now + 60_000), "pd", sealed, "rid", "req-" + q);
    app.redis().cli("XADD", S0.stream(), "*", "q", q);
    return q;
  }

  @Test
  void aJobReclaimedWhileRedisTimesOutAtEachStageIsNotDeadLettered() throws Exception {
    String phone = randomPhone();
    faults.always("carrier:cmcc", phone, Fault.delay(1500));
    for (var e : org.yzt.config.EnterpriseConfig.all(ctx.config)) {
      faults.always("enterprise:" + e.id(), phone, Fault.delay(1500));
    }
    double stoppedBefore = PipelineFixtures.passesStopped(ctx);
    double reclaimedBefore = PipelineFixtures.jobsReclaimed(ctx);
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 60_000);
    // Redis stops answering while the carrier's verdict is on its way: the write times out, the
    // pass stops, and the job is reclaimed (tr 1) once Redis answers again
    assertTrue(waitUntil(10_000, () -> "VERIFYING".equals(status(ctx.redis, q))));
    pauseRedisWhileAnAnswerArrives("carrier:cmcc", phone);
    assertTrue(waitUntil(15_000, () -> "1".equals(PipelineFixtures.job(ctx.redis, q).get("tr"))), "reclaimed once");
    // the resumed pass makes progress, and Redis stops answering again while the enterprises answer:
    // a second reclaim, which dead-letters the job (maxDeliveries 1) unless progress reset the count
    pauseRedisWhileAnAnswerArrives("enterprise:tencent", phone);
    assertTrue(waitUntil(20_000, () -> "DONE".equals(status(ctx.redis, q)) || "FAILED".equals(status(ctx.redis, q))));
    assertEquals("DONE", status(ctx.redis, q), "not dead-lettered: " + PipelineFixtures.job(ctx.redis, q));
    assertEquals(1, sms.to(phone).size());
    // what an operator sees: a pass stopped on Redis and a job taken over, at each of the two pauses
    assertTrue(PipelineFixtures.passesStopped(ctx) >= stoppedBefore + 2, "yzt_pipeline_passes_stopped_total");
    assertTrue(PipelineFixtures.jobsReclaimed(ctx) >= reclaimedBefore + 2, "yzt_pipeline_jobs_reclaimed_total");
    faults.clear();
  }

  /**
   * Peers answer 1.5 s after being asked: once {@code peer} was asked about {@code phone}, Redis stops
   * answering for 2.7 s, so the answer's write waits 1.2 s, past the 600 ms command timeout; returns
   * when the pause is over.
   */
  private static void pauseRedisWhileAnAnswerArrives(String peer, String phone) {
    assertTrue(waitUntil(10_000, () -> faults.requests(peer, phone) >= 1), peer + " was asked");
    assertEquals("OK", app.redis().cli("CLIENT", "PAUSE", "2700", "ALL").trim());
    // a command of ours is held until the pause ends
    assertEquals("PONG", app.redis().cli("PING").trim());
  }

  @AfterEach
  void realTimeAgain() {
    clock.reset();
    // every pass ends, its worker's slot freed: one that never completed would see its job end all the same
    assertTrue(waitUntil(10_000, () -> PipelineFixtures.inFlight(ctx) == 0), "every pass let go of its job");
  }

  @Test
  void aConsumerWhoseWorkerIsGoneIsRemoved() {
    assertTrue(app.redis().cli("XGROUP", "CREATECONSUMER", S0.stream(), "pipeline", "ghost-worker").trim().endsWith("1"));
    assertTrue(waitUntil(5_000, () -> !app.redis().cli("XINFO", "CONSUMERS", S0.stream(), "pipeline").contains("ghost-worker")),
        "the idle consumer holding nothing was removed");
    // a live worker that was idle too is removed as well (it held nothing); it comes back with its next entry
    String phone = randomPhone();
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 30_000);
    assertTrue(waitUntil(10_000, () -> "DONE".equals(status(ctx.redis, q))));
  }

  @Test
  void anIdleConsumerThatStillHoldsAnEntryIsKept() {
    // one consumer holding an entry (read in the same script as it is added, so no live worker gets it
    // first) and one holding nothing, both idle from now on
    String held = app.redis().cli("EVAL", String.join("\n",
        "redis.call('XGROUP', 'CREATECONSUMER', KEYS[1], 'pipeline', 'ghost-empty')",
        "redis.call('XADD', KEYS[1], '*', 'q', ARGV[1])",
        "return redis.call('XREADGROUP', 'GROUP', 'pipeline', 'ghost-holder', 'COUNT', '1', 'STREAMS', KEYS[1], '>')"),
        "1", S0.stream(), Ids.random128());
    assertFalse(held.isBlank(), "the holder read the entry: " + held);
    // once the empty one is pruned, a pruning pass ran with both past the idle limit: the holder must survive it
    assertTrue(waitUntil(5_000, () -> !app.redis().cli("XINFO", "CONSUMERS", S0.stream(), "pipeline").contains("ghost-empty")),
        "the idle consumer holding nothing was removed");
    assertTrue(app.redis().cli("XINFO", "CONSUMERS", S0.stream(), "pipeline").contains("ghost-holder"),
        "a consumer with an entry pending is not removed: its entry would be lost");
  }

  @Test
  void aDeadLetterOlderThanTheRetentionIsSweptThoughNothingNewIsDeadLettered() {
    double before = ctx.metrics.counter("yzt.pipeline.dead.letters").count();
    app.redis().cli("DEL", S0.deadLetters());
    // an entry from long ago (stream ids are milliseconds) and one from now, below the length cap
    String old = app.redis().cli("XADD", S0.deadLetters(), "1-0", "q", "old", "st", "VERIFYING", "at", "1", "pd", "sealed").trim();
    String fresh = app.redis().cli("XADD", S0.deadLetters(), "*", "q", "fresh", "st", "VERIFYING", "at", "1", "pd", "sealed").trim();
    assertEquals("1-0", old);
    // nothing is dead-lettered meanwhile: the periodic sweep, not the next dead letter, removes it
    assertTrue(waitUntil(5_000, () -> app.redis().cli("XRANGE", S0.deadLetters(), "1-0", "1-0").isBlank()),
        "the old entry and its sealed data are gone: " + app.redis().cli("XRANGE", S0.deadLetters(), "-", "+"));
    assertEquals(before, ctx.metrics.counter("yzt.pipeline.dead.letters").count(), "no job was dead-lettered");
    assertTrue(app.redis().cli("XRANGE", S0.deadLetters(), fresh, fresh).contains("fresh"), "an entry inside the retention is kept");
    app.redis().cli("XDEL", S0.deadLetters(), fresh);
  }

  @Test
  void deadLettersLoseTheirPersonalDataAtOnceEndFailedAndTheStreamIsCapped() {
    String[] jobs = new String[5];
    for (int i = 0; i < jobs.length; i++) {
      jobs[i] = poisonedJob(randomPhone());
    }
    for (String q : jobs) {
      assertTrue(waitUntil(15_000, () -> "FAILED".equals(status(ctx.redis, q))), "dead-lettered");
      Map<String, String> job = PipelineFixtures.job(ctx.redis, q);
      assertEquals("dead-letter", job.get("why"));
      assertNull(job.get("pd"), "no personal data left on the job");
      assertNull(job.get("tr"));
    }
    assertEquals("3", app.redis().cli("XLEN", S0.deadLetters()).trim(), "capped at pipeline.deadLetterMax");
    // SPEC §9: the sealed copies live at most pipeline.deadLetterRetentionSeconds (the default week):
    // a week later on the service's clock, the periodic sweep (every 200 ms here) removes them
    clock.advance(Duration.ofSeconds(PipelineConfig.from(config.getJsonObject("pipeline")).deadLetterRetentionMs() / 1000 + 1));
    assertTrue(waitUntil(3_000, () -> {
      String dead = app.redis().cli("XRANGE", S0.deadLetters(), "-", "+");
      return java.util.Arrays.stream(jobs).noneMatch(dead::contains);
    }), "the retention sweep removed the dead letters and their sealed personal data");
  }

  @Test
  void aDeadLetteredPhoneCardJobKeepsNoNameOrIdNumberAnywhereAndCannotBeRedriven() throws Exception {
    String q = RedisKeys.queryId(S0);
    String phone = randomPhone();
    String sealed = ctx.personalData.encrypt(q, JobFields.PERSONAL, new JsonObject().put("phone", phone)
        .put("name", "张三").put("idNumber", "11010519491231002X"));
    long now = System.currentTimeMillis();
    app.redis().cli("HSET", S0.job(q), "st", "WEIRD", "ca", Long.toString(now), "dl", Long.toString(now + 60_000),
        "pd", sealed, "rid", "req-" + q, "kd", "cards");
    app.redis().cli("XADD", S0.stream(), "*", "q", q);
    assertTrue(waitUntil(15_000, () -> "FAILED".equals(status(ctx.redis, q))), "dead-lettered");
    assertNull(PipelineFixtures.job(ctx.redis, q).get("pd"), "no personal data left on the job");
    String dead = app.redis().cli("XRANGE", S0.deadLetters(), "-", "+");
    assertTrue(dead.contains(q), dead);
    assertFalse(app.redis().dumpAll().contains(sealed), "the sealed name and ID number are nowhere in Redis");
    Path conf = Files.createTempFile("yzt-admin", ".json");
    try {
      Files.writeString(conf, config.encode());
      String line = java.util.Arrays.stream(admin(conf, 0, "list")).filter(l -> l.contains("query=" + q)).findFirst()
          .orElseThrow();
      String entryId = line.split(" ")[0];
      assertEquals("NOT_REDRIVABLE " + entryId, admin(conf, 0, "redrive", entryId)[0], "nothing to run it again with");
      assertEquals("FAILED", status(ctx.redis, q));
    } finally {
      Files.deleteIfExists(conf);
    }
  }

  @Test
  void theAdminCommandListsMaskedAndRedrivesADeadLetteredJob() throws Exception {
    String phone = randomPhone();
    String q = poisonedJob(phone);
    assertTrue(waitUntil(15_000, () -> "FAILED".equals(status(ctx.redis, q))), "dead-lettered");
    Path conf = Files.createTempFile("yzt-admin", ".json");
    try {
      Files.writeString(conf, config.encode());
      String[] list = admin(conf, 0, "list");
      String line = java.util.Arrays.stream(list).filter(l -> l.contains("query=" + q)).findFirst().orElseThrow();
      assertTrue(line.contains("phone=" + phone.substring(0, 3) + "****" + phone.substring(7)), line);
      assertFalse(String.join("\n", list).contains(phone), "no number in clear");
      String entryId = line.split(" ")[0];
      assertEquals("REDRIVEN " + entryId, admin(conf, 0, "redrive", entryId)[0]);
      assertTrue(waitUntil(15_000, () -> "DONE".equals(status(ctx.redis, q))), "the re-driven job completed");
      assertEquals(1, sms.to(phone).size(), "one result text");
      admin(conf, 1, "redrive", entryId); // gone from the stream now
      admin(conf, 2, "redrive");
    } finally {
      Files.deleteIfExists(conf);
    }
  }

  @Test
  void redriveAllReRunsEveryDeadLetteredJobOnce() throws Exception {
    app.redis().cli("DEL", S0.deadLetters()); // only this test's dead letters
    String[] phones = {randomPhone(), randomPhone()};
    String[] jobs = {poisonedJob(phones[0]), poisonedJob(phones[1])};
    for (String q : jobs) {
      assertTrue(waitUntil(15_000, () -> "FAILED".equals(status(ctx.redis, q))), "dead-lettered");
    }
    Path conf = Files.createTempFile("yzt-admin", ".json");
    try {
      Files.writeString(conf, config.encode());
      String[] out = admin(conf, 0, "redrive-all");
      assertEquals(2, java.util.Arrays.stream(out).filter(l -> l.startsWith("REDRIVEN ")).count(), String.join("\n", out));
      for (int i = 0; i < jobs.length; i++) {
        String q = jobs[i];
        assertTrue(waitUntil(15_000, () -> "DONE".equals(status(ctx.redis, q))), "the re-driven job completed");
        assertEquals(1, sms.to(phones[i]).size(), "one result text");
      }
      assertEquals("0", app.redis().cli("XLEN", S0.deadLetters()).trim(), "nothing left to re-drive");
    } finally {
      Files.deleteIfExists(conf);
    }
  }

  /** Runs {@code admin dead-letters ARGS} as the jar's command line does; answers the lines it printed. */
  private static String[] admin(Path conf, int expectedExit, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    String[] argv = new String[3 + args.length];
    argv[0] = "-conf";
    argv[1] = conf.toString();
    argv[2] = "admin";
    String[] all = new String[argv.length + 1];
    System.arraycopy(argv, 0, all, 0, 3);
    all[3] = "dead-letters";
    System.arraycopy(args, 0, all, 4, args.length);
    Cli.Parsed parsed = Cli.parse(all, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(expectedExit, parsed.exitStatus(), err.toString(StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8).split("\n");
  }
}
