package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.pipeline.JobStore.Entry;
import org.yzt.store.JobFields;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;

/**
 * A job's steps in JobStore on a real Redis, on shards no worker of the running node reads: a reclaimed job
 * that keeps failing goes to the dead-letter stream; a parked job leaves the stream and comes back when due;
 * the stage writes move the status only from the states they expect; finishing acknowledges the entry.
 */
class JobStoreStepsTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  private static final String ME = "steps-test-consumer";
  private static JobStore store;

  @BeforeAll
  static void store() {
    store = new JobStore(app.service().context());
  }

  @AfterAll
  static void close() {
    PipelineFixtures.await(store.close());
  }

  /** A job record and its entry, delivered to this test's consumer (pending, as a worker holds it). */
  private static Entry delivered(String name, String q, String... fields) {
    RedisServer r = app.redis();
    Shard s = new Shard(98, "{steps-" + name + "}");
    r.cli("XGROUP", "CREATE", s.stream(), RedisKeys.JOB_GROUP, "0", "MKSTREAM");
    String[] hset = new String[2 + fields.length];
    hset[0] = "HSET";
    hset[1] = s.job(q);
    System.arraycopy(fields, 0, hset, 2, fields.length);
    r.cli(hset);
    String id = r.cli("XADD", s.stream(), "*", "q", q).trim();
    r.cli("XREADGROUP", "GROUP", RedisKeys.JOB_GROUP, ME, "COUNT", "10", "STREAMS", s.stream(), ">");
    return new Entry(s, id, q);
  }

  private static boolean inStream(Entry e) {
    return !app.redis().cli("XRANGE", e.shard().stream(), e.id(), e.id()).isBlank();
  }

  @Test
  void aReclaimedJobThatKeepsFailingIsDeadLettered() {
    RedisServer r = app.redis();
    Entry e = delivered("dead", "qd", "st", "VERIFYING", "rid", "r9", "pd", "sealed");
    Job fresh = PipelineFixtures.await(store.load(e, false, 1, 100));
    assertFalse(fresh.dead);
    assertTrue(r.cli("HGET", e.job(), "tr").isBlank(), "a load that is not a reclaim counts no try");
    Job first = PipelineFixtures.await(store.load(e, true, 1, 100));
    assertFalse(first.dead, "within its deliveries");
    assertEquals("VERIFYING", first.stateName());
    assertEquals("1", r.cli("HGET", e.job(), "tr").trim());
    Job dead = PipelineFixtures.await(store.load(e, true, 1, 100));
    assertTrue(dead.dead, "over its deliveries");
    assertEquals("r9", dead.requestId());
    assertEquals("FAILED", r.cli("HGET", e.job(), "st").trim());
    assertEquals("1", r.cli("XLEN", e.shard().deadLetters()).trim());
    assertFalse(inStream(e), "its entry deleted");
  }

  @Test
  void aParkedJobLeavesTheStreamAndComesBackWhenDue() {
    RedisServer r = app.redis();
    Entry e = delivered("park", "qp", "st", "QUERYING");
    PipelineFixtures.await(store.park(e, 1L, 3));
    assertFalse(inStream(e), "a parked job holds no entry");
    assertEquals("3", r.cli("HGET", e.job(), JobFields.RETRIES).trim());
    assertEquals("1", r.cli("ZSCORE", e.shard().delayed(), "qp").trim());
    assertEquals(1, PipelineFixtures.await(store.wakeDue(e.shard(), 10)), "one job due");
    assertEquals("0", r.cli("ZCARD", e.shard().delayed()).trim());
    assertTrue(r.cli("XRANGE", e.shard().stream(), "-", "+").contains("qp"), "back on its stream");
    assertEquals(0, PipelineFixtures.await(store.wakeDue(e.shard(), 10)), "nothing more due");
  }

  @Test
  void aJobsStagesMoveOnlyFromTheStatesTheyExpectAndFinishingAcknowledges() {
    RedisServer r = app.redis();
    Entry e = delivered("stages", "qs", "st", "QUERYING", JobFields.RETRIES, "3");
    JobStore.Written kept = PipelineFixtures.await(store.storeAnswers(e, List.of("e:a", "1"), List.of(JobState.QUERYING), null));
    assertTrue(kept.applied());
    assertEquals(JobState.QUERYING, kept.state(), "answers that do not end the stage keep it");
    assertEquals("1", r.cli("HGET", e.job(), "e:a").trim());
    assertEquals("3", r.cli("HGET", e.job(), JobFields.RETRIES).trim(), "the stage's retries go on");
    Entry last = delivered("stages-last", "ql", "st", "QUERYING", JobFields.RETRIES, "3");
    JobStore.Written ended = PipelineFixtures.await(store.storeAnswers(last, List.of("e:a", "1"), List.of(JobState.QUERYING), JobState.NOTIFYING));
    assertTrue(ended.applied());
    assertEquals(JobState.NOTIFYING, ended.state(), "the last answers end the stage");
    assertEquals("0", r.cli("HGET", last.job(), JobFields.RETRIES).trim(), "the next stage's retries start again");
    assertEquals(JobState.NOTIFYING, PipelineFixtures.await(store.endQuerying(e)));
    assertEquals("NOTIFYING", r.cli("HGET", e.job(), "st").trim());
    JobStore.Written late = PipelineFixtures.await(store.storeAnswers(e, List.of("e:b", "2"), List.of(JobState.QUERYING), JobState.NOTIFYING));
    assertFalse(late.applied(), "a late answer is not written");
    assertEquals(JobState.NOTIFYING, late.state());
    PipelineFixtures.await(store.adoptTrace(e, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"));
    assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", r.cli("HGET", e.job(), JobFields.TRACE).trim());
    assertTrue(inStream(e), "held until it ends");
    assertEquals(JobState.DONE, PipelineFixtures.await(store.finish(e, JobState.NOTIFYING, JobState.DONE, null)));
    assertFalse(inStream(e), "a finished job's entry acknowledged and deleted");
    assertFalse(r.cli("XPENDING", e.shard().stream(), RedisKeys.JOB_GROUP, "-", "+", "10").contains(e.id()));

    Entry again = new Entry(e.shard(), r.cli("XADD", e.shard().stream(), "*", "q", "qs").trim(), "qs");
    PipelineFixtures.await(store.ack(again));
    assertFalse(inStream(again), "a finished job's late entry acknowledged and deleted");
  }
}
