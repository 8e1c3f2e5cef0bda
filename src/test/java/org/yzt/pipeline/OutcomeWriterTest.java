package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * What a job pass holds back ({@code pipeline.stepLingerMs}, issue 23) on a real Redis, on shards no worker
 * of the running node reads: held writes go out when their time is up, when the job parks, and when Redis
 * refused them they stay held for the finishing write.
 */
class OutcomeWriterTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  private static JobStore store;
  private static Context context;

  @BeforeAll
  static void store() {
    store = new JobStore(app.service().context());
    context = app.service().vertx().getOrCreateContext();
  }

  @AfterAll
  static void close() {
    PipelineFixtures.await(store.close());
  }

  private static Entry verifying(String name) {
    RedisServer r = app.redis();
    Shard s = new Shard(97, "{held-" + name + "}");
    String q = "q" + name;
    r.cli("HSET", s.job(q), "st", "VERIFYING", "pd", "sealed");
    r.cli("XGROUP", "CREATE", s.stream(), RedisKeys.JOB_GROUP, "0", "MKSTREAM");
    String id = r.cli("XADD", s.stream(), "*", "q", q).trim();
    r.cli("XREADGROUP", "GROUP", RedisKeys.JOB_GROUP, "held-test", "COUNT", "10", "STREAMS", s.stream(), ">");
    return new Entry(s, id, q);
  }

  private static OutcomeWriter writer(Entry e, long stepLingerMs) {
    return new OutcomeWriter(store, e, app.service().vertx(), 0, stepLingerMs);
  }

  /** Runs {@code op} on the pass's context (as a pass does) and waits for its result. */
  private static <T> T on(Supplier<Future<T>> op) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    context.runOnContext(v -> op.get().onComplete(ar -> {
      if (ar.succeeded()) {
        f.complete(ar.result());
      } else {
        f.completeExceptionally(ar.cause());
      }
    }));
    return f.get(10, TimeUnit.SECONDS);
  }

  /** The verdict carried, one enterprise asked and answered: the stage is over and its write held. */
  private static Boolean verdictAndAnswer(OutcomeWriter w) throws Exception {
    return on(() -> {
      w.carry(JobState.VERIFYING, JobState.QUERYING, JobFields.VERDICT, "MATCH");
      w.expect(1);
      return w.store("e:a", "1");
    });
  }

  private static String field(Entry e, String f) {
    return app.redis().cli("HGET", e.job(), f).trim();
  }

  @Test
  void aHeldWriteGoesOutOnItsOwnWhenItsTimeIsUp() throws Exception {
    Entry e = verifying("timer");
    OutcomeWriter w = writer(e, 50);
    assertTrue(verdictAndAnswer(w), "an answer held counts as stored");
    assertEquals(JobState.NOTIFYING, w.ended(), "the stage is over");
    assertTrue(waitUntil(5_000, () -> "NOTIFYING".equals(field(e, "st"))), "written when its time was up: " + field(e, "st"));
    assertEquals("MATCH", field(e, JobFields.VERDICT));
    assertEquals("1", field(e, "e:a"));
    assertEquals(List.of(), on(w::absorb), "nothing left to take over");
  }

  @Test
  void aJobThatParksWritesWhatWasHeldFirst() throws Exception {
    Entry e = verifying("park");
    OutcomeWriter w = writer(e, 60_000);
    on(() -> {
      w.carry(JobState.VERIFYING, JobState.QUERYING, JobFields.VERDICT, "MATCH");
      w.expect(2);
      w.skip(true); // one enterprise waits for a later retry: the stage goes on
      return Future.succeededFuture();
    });
    assertEquals("VERIFYING", field(e, "st"), "the verdict waits for the first answer");
    on(w::flush);
    assertEquals("QUERYING", field(e, "st"), "flushed before the job parks");
    assertEquals("MATCH", field(e, JobFields.VERDICT));
  }

  @Test
  void aHeldWriteRedisRefusedStaysHeldForTheFinish() throws Exception {
    Entry e = verifying("refused");
    OutcomeWriter w = writer(e, 50);
    long refusedBefore = refusedScripts();
    // Redis refuses writes for now (over maxmemory): the held write, when its time is up, fails
    assertEquals("OK", app.redis().cli("CONFIG", "SET", "maxmemory", "1").trim());
    try {
      assertTrue(verdictAndAnswer(w));
      assertTrue(waitUntil(5_000, () -> refusedScripts() > refusedBefore), "the held write was tried and refused");
    } finally {
      app.redis().cli("CONFIG", "SET", "maxmemory", "0");
    }
    List<JobState> states = new ArrayList<>(on(w::absorb));
    states.add(JobState.NOTIFYING);
    // the held write, tried again, may have gone before the finish: either way the finish applies
    assertEquals(JobState.DONE, on(() -> store.finish(e, states, JobState.DONE, null)),
        "the finish takes over the refused write: " + states);
  }

  private static long refusedScripts() {
    Matcher m = Pattern.compile("cmdstat_evalsha:.*failed_calls=(\\d+)").matcher(app.redis().cli("INFO", "commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
