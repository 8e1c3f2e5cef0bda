package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.pipeline.JobStore.Taken;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.testing.RedisMonitor;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.Wait;

/**
 * A worker's reads with the pick-up of their jobs (JobIntake, issue 23), on a real Redis, on shards no worker
 * of the running node reads: a busy worker's read is one round trip that picks each job up once; an idle
 * worker's blocking read waits for its jobs and picks them up; an entry naming no query comes back once, for
 * the runner to drop; when the pick-up fails the entries come back not picked up and the runner's own load
 * still starts the job; the stream of the layout before sharding is never picked up with its read.
 */
class JobIntakeTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  private static final String ME = "intake-test-consumer";
  private static JobStore store;
  private static JobIntake intake;

  @BeforeAll
  static void intake() {
    store = new JobStore(app.service().context());
    intake = new JobIntake(new JobStream(app.service().context()), store, ME);
  }

  @AfterAll
  static void close() {
    PipelineFixtures.await(store.close());
  }

  private static Shard shard(String name) {
    Shard s = new Shard(99, "{intake-" + name + "}");
    app.redis().cli("XGROUP", "CREATE", s.stream(), RedisKeys.JOB_GROUP, "0", "MKSTREAM");
    return s;
  }

  private static Map<String, Taken> byId(List<Taken> taken) {
    return taken.stream().collect(Collectors.toMap(t -> t.entry().id(), Function.identity()));
  }

  private static String add(Shard s, String... fields) {
    String[] args = new String[3 + fields.length];
    args[0] = "XADD";
    args[1] = s.stream();
    args[2] = "*";
    System.arraycopy(fields, 0, args, 3, fields.length);
    return app.redis().cli(args).trim();
  }

  @Test
  void aBusyWorkersReadIsOneRoundTripThatPicksUpEachJobOnce() {
    RedisServer r = app.redis();
    Shard s = shard("busy");
    r.cli("HSET", s.job("fresh"), "st", "ACCEPTED", "rid", "r1");
    String fresh = add(s, "q", "fresh");
    String gone = add(s, "q", "gone");
    String unnamed = add(s, "x", "y");
    List<Taken> taken;
    List<RedisMonitor.Command> seen;
    try (RedisMonitor monitor = RedisMonitor.start(r)) {
      taken = PipelineFixtures.await(intake.read(s, 10, 0));
      seen = monitor.commands();
    }
    Map<String, Taken> byId = byId(taken);
    assertEquals(3, taken.size(), "each entry once");
    assertTrue(byId.get(fresh).pickedUp());
    assertEquals("VERIFYING", byId.get(fresh).job().stateName());
    assertEquals("VERIFYING", r.cli("HGET", s.job("fresh"), "st").trim(), "started on the record");
    assertTrue(byId.get(gone).pickedUp());
    assertNull(byId.get(gone).job(), "a gone job");
    assertTrue(r.cli("XRANGE", s.stream(), gone, gone).isBlank(), "a gone job's entry deleted");
    assertFalse(byId.get(unnamed).pickedUp(), "an entry naming no query is the runner's to drop");
    List<String> sent = seen.stream()
        .filter(c -> !c.fromScript() && c.line().contains("\"" + s.stream() + "\""))
        .map(RedisMonitor.Command::name).toList();
    assertEquals(List.of("EVALSHA"), sent, "a read that does not wait: one script reads and picks up");
    assertTrue(PipelineFixtures.await(intake.read(s, 10, 0)).isEmpty(), "nothing is picked up twice");
  }

  @Test
  void anIdleWorkersBlockingReadPicksUpTheJobsItWaitedFor() {
    RedisServer r = app.redis();
    Shard s = shard("idle");
    r.cli("HSET", s.job("late"), "st", "ACCEPTED", "rid", "r2");
    Future<List<Taken>> read;
    try (RedisMonitor monitor = RedisMonitor.start(r)) {
      read = intake.read(s, 10, 15_000);
      Wait.await(10_000, "the worker waits on its shard", () -> monitor.commands().stream()
          .anyMatch(c -> !c.fromScript() && c.name().equals("XREADGROUP") && c.line().contains(s.stream())));
    }
    assertFalse(read.isComplete(), "an idle worker's read waits for an entry");
    // both entries at once: the blocked read is answered after the script, with both
    r.cli("EVAL", "redis.call('XADD', KEYS[1], '*', 'q', ARGV[1]) redis.call('XADD', KEYS[1], '*', 'x', 'y') return 1",
        "1", s.stream(), "late");
    List<Taken> taken = PipelineFixtures.await(read);
    assertEquals(2, taken.size(), "each entry once: " + taken);
    Taken late = taken.stream().filter(t -> "late".equals(t.entry().queryId())).findFirst().orElseThrow();
    assertTrue(late.pickedUp(), "picked up with the read's own script");
    assertEquals("VERIFYING", late.job().stateName());
    assertEquals("r2", late.job().requestId());
    Taken unnamed = taken.stream().filter(t -> t.entry().queryId() == null).findFirst().orElseThrow();
    assertFalse(unnamed.pickedUp(), "an entry naming no query is the runner's to drop");
  }

  @Test
  void aReadOfEveryShardPicksUpEachShardsJobs() {
    RedisServer r = app.redis();
    Shard a = shard("all-a");
    Shard b = shard("all-b");
    r.cli("HSET", a.job("ja"), "st", "ACCEPTED");
    r.cli("HSET", b.job("jb"), "st", "DONE", "ua", "7");
    add(a, "q", "ja");
    add(b, "q", "jb");
    String unnamed = add(b, "x", "y");
    // entry ids are per stream: two shards' entries may share one
    Map<String, Taken> byQuery = PipelineFixtures.await(intake.readAll(List.of(a, b), 10, 1_000)).stream()
        .collect(Collectors.toMap(t -> String.valueOf(t.entry().queryId()), Function.identity()));
    assertEquals(3, byQuery.size(), "each entry once: " + byQuery);
    assertEquals("VERIFYING", byQuery.get("ja").job().stateName());
    assertEquals(a, byQuery.get("ja").entry().shard());
    assertEquals("DONE", byQuery.get("jb").job().stateName(), "a finished job as it is");
    assertEquals(b, byQuery.get("jb").entry().shard());
    assertEquals(unnamed, byQuery.get("null").entry().id());
    assertEquals(b, byQuery.get("null").entry().shard());
    assertFalse(byQuery.get("null").pickedUp(), "an entry naming no query is the runner's to drop");
    assertTrue(PipelineFixtures.await(intake.readAll(List.of(a, b), 10, 1)).isEmpty(), "nothing is read twice");
  }

  /** A record Redis cannot read as a job (not a hash) fails the shard's pick-up script. */
  @Test
  void aJobWhosePickUpFailedComesBackForTheRunnerToLoad() {
    RedisServer r = app.redis();
    Shard s = shard("failed");
    r.cli("SET", s.job("broken"), "not a job");
    r.cli("HSET", s.job("ok"), "st", "ACCEPTED", "rid", "r3");
    add(s, "q", "broken");
    String ok = add(s, "q", "ok");
    List<Taken> taken = PipelineFixtures.await(intake.read(s, 10, 1_000));
    assertEquals(2, taken.size(), "the read's entries are not lost with their pick-up");
    assertTrue(taken.stream().noneMatch(Taken::pickedUp), "none picked up: the runner loads each");
    Taken okTaken = byId(taken).get(ok);
    assertEquals("ACCEPTED", r.cli("HGET", s.job("ok"), "st").trim());
    Job job = PipelineFixtures.await(store.load(okTaken.entry(), false, 5, 100));
    assertEquals("VERIFYING", job.stateName(), "the runner's own load starts the job");
  }

  /** Its job records have no hash tag: a script on its stream cannot reach them. */
  @Test
  void theStreamBeforeShardingIsReadAndLeftToTheRunner() {
    RedisServer r = app.redis();
    Shard legacy = Shard.LEGACY;
    String q = "intake-legacy-job";
    r.cli("XGROUP", "CREATE", legacy.stream(), RedisKeys.JOB_GROUP, "0", "MKSTREAM");
    try {
      r.cli("HSET", legacy.job(q), "st", "ACCEPTED");
      String first = add(legacy, "q", q);
      List<Taken> busy = PipelineFixtures.await(intake.read(legacy, 10, 0));
      assertEquals(1, busy.size());
      assertEquals(first, busy.get(0).entry().id());
      assertEquals(q, busy.get(0).entry().queryId());
      assertFalse(busy.get(0).pickedUp(), "left to the runner's load");
      String second = add(legacy, "q", q);
      List<Taken> idle = PipelineFixtures.await(intake.readAll(List.of(legacy), 10, 1_000));
      assertEquals(1, idle.size());
      assertEquals(second, idle.get(0).entry().id());
      assertFalse(idle.get(0).pickedUp(), "left to the runner's load");
      assertEquals("ACCEPTED", r.cli("HGET", legacy.job(q), "st").trim(), "not picked up by the read");
    } finally {
      r.cli("DEL", legacy.stream(), legacy.job(q));
    }
  }
}
