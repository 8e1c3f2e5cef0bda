package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;

/**
 * jobs_take.lua (issue 23): a read and the pick-up of the jobs it delivers in one round trip, on a real
 * Redis, on a stream no worker reads. Each kind of entry comes back as job_load.lua would leave it: an
 * ACCEPTED job moved to VERIFYING, a finished one as it is, a gone job's entry acknowledged and deleted,
 * an entry naming no query untouched (the runner drops it) — and entries a blocking read delivered are
 * picked up without reading more.
 */
class JobsTakeTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  /** A shard of its own: the workers read the layout's shards, not this one. */
  private static final Shard OWN = new Shard(99, "{take-test}");
  private static final String ME = "take-test-consumer";

  @Test
  void aReadPicksUpEachKindOfEntryAsALoadWould() {
    RedisServer r = app.redis();
    r.cli("XGROUP", "CREATE", OWN.stream(), RedisKeys.JOB_GROUP, "0", "MKSTREAM");
    r.cli("HSET", OWN.job("fresh"), "st", "ACCEPTED", "rid", "r1", "pd", "sealed");
    r.cli("HSET", OWN.job("done"), "st", "DONE", "ua", "5");
    String fresh = r.cli("XADD", OWN.stream(), "*", "q", "fresh").trim();
    String done = r.cli("XADD", OWN.stream(), "*", "q", "done").trim();
    String gone = r.cli("XADD", OWN.stream(), "*", "q", "gone").trim();
    String unnamed = r.cli("XADD", OWN.stream(), "*", "x", "y").trim();
    JobStore store = new JobStore(app.service().context());
    try {
      List<JobStore.Taken> taken = PipelineFixtures.await(store.take(OWN, ME, 10, List.of()));
      Map<String, JobStore.Taken> byId = taken.stream().collect(Collectors.toMap(t -> t.entry().id(), Function.identity()));
      assertEquals(4, taken.size());
      assertEquals("VERIFYING", byId.get(fresh).job().stateName());
      assertEquals("r1", byId.get(fresh).job().requestId());
      assertEquals("VERIFYING", r.cli("HGET", OWN.job("fresh"), "st").trim(), "moved on the record too");
      assertFalse(r.cli("HGET", OWN.job("fresh"), "ua").isBlank());
      assertEquals("DONE", byId.get(done).job().stateName());
      assertEquals("5", byId.get(done).job().fields.get("ua"), "a finished job is not written");
      assertTrue(byId.get(gone).pickedUp());
      assertNull(byId.get(gone).job(), "a gone job");
      assertTrue(r.cli("XRANGE", OWN.stream(), gone, gone).isBlank(), "its entry deleted");
      assertFalse(byId.get(unnamed).pickedUp(), "an entry naming no query is the runner's to drop");
      assertNull(byId.get(unnamed).entry().queryId());
      String pending = r.cli("XPENDING", OWN.stream(), RedisKeys.JOB_GROUP, "-", "+", "10");
      assertTrue(pending.contains(fresh) && pending.contains(done) && pending.contains(unnamed), pending);
      assertFalse(pending.contains(gone), pending);
      assertTrue(PipelineFixtures.await(store.take(OWN, ME, 10, List.of())).isEmpty(), "nothing new");

      // entries a blocking read delivered: picked up, nothing more read
      r.cli("HSET", OWN.job("late"), "st", "ACCEPTED");
      r.cli("HSET", OWN.job("later"), "st", "ACCEPTED");
      String late = r.cli("XADD", OWN.stream(), "*", "q", "late").trim();
      r.cli("XADD", OWN.stream(), "*", "q", "later");
      r.cli("XREADGROUP", "GROUP", RedisKeys.JOB_GROUP, ME, "COUNT", "1", "STREAMS", OWN.stream(), ">");
      List<JobStore.Taken> delivered = PipelineFixtures.await(
          store.take(OWN, ME, 0, List.of(new JobStore.Entry(OWN, late, "late"))));
      assertEquals(1, delivered.size());
      assertEquals("VERIFYING", delivered.get(0).job().stateName());
      assertEquals("ACCEPTED", r.cli("HGET", OWN.job("later"), "st").trim(), "not read, not picked up");
    } finally {
      PipelineFixtures.await(store.close());
    }
  }
}
