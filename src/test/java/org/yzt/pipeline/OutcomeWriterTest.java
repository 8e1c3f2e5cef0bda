package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
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
    return inState(name, "VERIFYING");
  }

  private static Entry inState(String name, String st) {
    RedisServer r = app.redis();
    Shard s = new Shard(97, "{held-" + name + "}");
    String q = "q" + name;
    r.cli("HSET", s.job(q), "st", st, "pd", "sealed");
    r.cli("XGROUP", "CREATE", s.stream(), RedisKeys.JOB_GROUP, "0", "MKSTREAM");
    String id = r.cli("XADD", s.stream(), "*", "q", q).trim();
    r.cli("XREADGROUP", "GROUP", RedisKeys.JOB_GROUP, "held-test", "COUNT", "10", "STREAMS", s.stream(), ">");
    return new Entry(s, id, q);
  }

  /** A pass asks three enterprises and each answers at once (e:a 1, e:b 2, e:c 3); their stores go to {@code stored}. */
  private static void threeAnswer(OutcomeWriter w, List<Future<Boolean>> stored) {
    w.expect(3);
    stored.add(w.store("e:a", "1"));
    stored.add(w.store("e:b", "2"));
    stored.add(w.store("e:c", "3"));
  }

  private static OutcomeWriter writer(Entry e, long stepLingerMs) {
    return writer(e, 0, stepLingerMs);
  }

  private static OutcomeWriter writer(Entry e, long lingerMs, long stepLingerMs) {
    return new OutcomeWriter(store, e, app.service().vertx(), lingerMs, stepLingerMs);
  }

  /** HSETs Redis ran so far: one per job write that applied (no worker of the node writes these shards). */
  private static long writes() {
    Matcher m = Pattern.compile("cmdstat_hset:calls=(\\d+)").matcher(app.redis().cli("INFO", "commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
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

  /** On the pass's context: a MATCH verdict carried, then {@code asks} enterprises asked. */
  private static void matchThenAsk(OutcomeWriter w, int asks) throws Exception {
    on(() -> {
      w.carry(JobState.VERIFYING, JobState.QUERYING, JobFields.VERDICT, "MATCH");
      w.expect(asks);
      return Future.succeededFuture();
    });
  }

  /** The verdict carried, one enterprise asked and answered: the stage is over and its write held. */
  private static Boolean verdictAndAnswer(OutcomeWriter w) throws Exception {
    matchThenAsk(w, 1);
    return on(() -> w.store("e:a", "1"));
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
    matchThenAsk(w, 2);
    on(() -> {
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

  @Test
  void aPassHoldsOnlyWithAStepLinger() {
    Entry e = verifying("holds");
    assertFalse(writer(e, 0).holds(), "0: every stage's end at once");
    assertTrue(writer(e, 1).holds());
  }

  @Test
  void aVerdictThatNeedsTheFailureTextEndsTheStageAtOnceAndIsHeldForTheFinish() throws Exception {
    Entry e = verifying("mismatch");
    OutcomeWriter w = writer(e, 60_000);
    on(() -> {
      w.carry(JobState.VERIFYING, JobState.NOTIFYING, JobFields.VERDICT, "MISMATCH");
      return Future.succeededFuture();
    });
    assertEquals(JobState.NOTIFYING, w.ended(), "no enterprise to ask: the stage is over");
    assertEquals("VERIFYING", field(e, "st"), "held");
    List<JobState> states = new ArrayList<>(on(w::absorb));
    assertTrue(states.contains(JobState.VERIFYING), "the finish accepts the state the verdict was held in: " + states);
    // taken over: a later write of this pass no longer accepts VERIFYING
    on(() -> {
      w.expect(1);
      w.store("e:x", "1");
      return w.flush();
    });
    assertEquals("", field(e, "e:x"), "a write after the take-over expects QUERYING alone");
    states.add(JobState.NOTIFYING);
    assertEquals(JobState.FAILED, on(() -> store.finish(e, states, JobState.FAILED, "identity")));
  }

  @Test
  void aVerdictWithNothingLeftToAskEndsTheStage() throws Exception {
    Entry e = verifying("none-left");
    OutcomeWriter w = writer(e, 60_000);
    matchThenAsk(w, 0);
    assertEquals(JobState.NOTIFYING, w.ended());
    on(w::flush);
    assertEquals("NOTIFYING", field(e, "st"));
    assertEquals("MATCH", field(e, JobFields.VERDICT));
  }

  @Test
  void answersThatLandTogetherAreOneWriteThatEndsTheStage() throws Exception {
    Entry e = inState("together", "QUERYING");
    OutcomeWriter w = writer(e, 60_000, 0);
    long before = writes();
    List<Future<Boolean>> stored = new ArrayList<>();
    on(() -> {
      threeAnswer(w, stored);
      return Future.join(new ArrayList<>(stored));
    });
    assertTrue(stored.stream().allMatch(f -> f.result()), "each stored");
    assertEquals(before + 1, writes(), "one write");
    assertEquals("NOTIFYING", field(e, "st"), "the last answer ends the stage (no step linger: at once)");
    assertEquals("3", field(e, "e:c"));
    assertEquals(JobState.NOTIFYING, w.ended());
  }

  @Test
  void anAnswerAloneWaitsForTheLingerAndKeepsTheStage() throws Exception {
    Entry e = inState("alone", "QUERYING");
    OutcomeWriter w = writer(e, 40, 60_000);
    Future<Boolean> first = on(() -> {
      w.expect(2);
      return Future.succeededFuture(w.store("e:a", "1"));
    });
    assertTrue(waitUntil(5_000, () -> "1".equals(field(e, "e:a"))), "written when the linger was up");
    assertTrue(waitUntil(5_000, first::succeeded));
    assertTrue(first.result());
    assertEquals("QUERYING", field(e, "st"), "one enterprise still to answer");
    assertNull(w.ended());
    on(() -> w.store("e:b", "2")); // the last: held
    assertEquals(JobState.NOTIFYING, w.ended());
    assertEquals("QUERYING", field(e, "st"));
  }

  @Test
  void anEnterpriseThatParksKeepsTheStageOpenAndOneThatRanOutEndsIt() throws Exception {
    Entry parks = inState("parks", "QUERYING");
    OutcomeWriter p = writer(parks, 0, 60_000);
    on(() -> {
      p.expect(2);
      p.skip(true);
      return p.store("e:a", "1");
    });
    assertNull(p.ended(), "it waits for a later retry");
    assertEquals("1", field(parks, "e:a"), "written at once: nothing to wait for");
    assertEquals("QUERYING", field(parks, "st"));

    Entry ran = inState("ran-out", "QUERYING");
    OutcomeWriter r = writer(ran, 0, 60_000);
    on(() -> {
      r.expect(2);
      r.skip(false); // ran out of time: nothing to store, and nothing to wait for
      return r.store("e:a", "1");
    });
    assertEquals(JobState.NOTIFYING, r.ended(), "the stage is over, held");
    on(r::flush);
    assertEquals("NOTIFYING", field(ran, "st"));
  }

  @Test
  void flushingWithNothingHeldWritesNothing() throws Exception {
    Entry e = verifying("nothing");
    OutcomeWriter w = writer(e, 60_000);
    long before = writes();
    on(w::flush);
    assertEquals(before, writes());
    assertEquals(List.of(), on(w::absorb));
  }

  @Test
  void aVerdictAloneIsWrittenWhenItsTimeIsUp() throws Exception {
    Entry e = verifying("verdict-alone");
    OutcomeWriter w = writer(e, 60_000, 50);
    matchThenAsk(w, 2);
    assertTrue(waitUntil(5_000, () -> "QUERYING".equals(field(e, "st"))), "the enterprises are slow: the verdict goes alone");
    assertEquals("MATCH", field(e, JobFields.VERDICT));
    assertNull(w.ended());
  }

  @Test
  void aHeldEndOfTheStageWithoutAVerdictGoesOutWhenItsTimeIsUp() throws Exception {
    Entry e = inState("end-alone", "QUERYING");
    OutcomeWriter w = writer(e, 0, 50);
    assertTrue(on(() -> {
      w.expect(1);
      return w.store("e:a", "1");
    }));
    assertEquals(JobState.NOTIFYING, w.ended());
    assertTrue(waitUntil(5_000, () -> "NOTIFYING".equals(field(e, "st"))), "written when its time was up");
    assertEquals("1", field(e, "e:a"));
  }

  @Test
  void anEnterpriseThatRanOutAfterAnAnswerEndsTheStageAndTheAnswerWaitsNoLingerOfItsOwn() throws Exception {
    Entry e = inState("ran-out-after", "QUERYING");
    Entry control = inState("control", "QUERYING");
    OutcomeWriter w = writer(e, 40, 60_000);
    OutcomeWriter c = writer(control, 40, 0);
    on(() -> {
      w.expect(2);
      w.store("e:a", "1"); // lingers 40 ms: its timer first
      c.expect(2);
      c.store("e:a", "1"); // the same linger, set after: its write shows that 40 ms passed
      w.skip(false);      // the last: the stage is over and held
      return Future.succeededFuture();
    });
    assertEquals(JobState.NOTIFYING, w.ended());
    assertTrue(waitUntil(5_000, () -> "1".equals(field(control, "e:a"))));
    // had the linger still run, its write (sent before the control's, on the same connection) would be in
    assertEquals("", field(e, "e:a"), "held with the end of the stage, not written by the linger");
  }

  @Test
  void answersThatArriveDuringAWriteGoInTheNextAndOneWhileAWriteIsInFlightIsAwaited() throws Exception {
    Entry e = inState("during", "QUERYING");
    OutcomeWriter w = writer(e, 0, 0);
    long before = writes();
    List<Future<Boolean>> stored = new ArrayList<>();
    List<JobState> states = on(() -> {
      threeAnswer(w, stored); // e:a written at once, e:b and e:c wait for that write
      return w.absorb(); // a write is in flight: taken over once nothing is
    });
    assertEquals(List.of(), states, "everything was written");
    assertTrue(waitUntil(5_000, () -> stored.stream().allMatch(Future::succeeded)));
    assertTrue(stored.stream().allMatch(Future::result));
    assertEquals(before + 2, writes(), "two writes: the first answer, then the two that came during it");
    assertEquals("NOTIFYING", field(e, "st"));

    Entry f = inState("flush-during", "QUERYING");
    OutcomeWriter v = writer(f, 0, 0);
    on(() -> {
      v.expect(2);
      v.store("e:a", "1");
      return v.flush(); // waits for the write in flight
    });
    assertEquals("1", field(f, "e:a"));
  }

  @Test
  void anAnswerRedisRefusedFailsItsEnterprise() throws Exception {
    Entry e = inState("refused-answer", "QUERYING");
    OutcomeWriter w = writer(e, 0, 0);
    assertEquals("OK", app.redis().cli("CONFIG", "SET", "maxmemory", "1").trim());
    try {
      ExecutionException failed = assertThrows(ExecutionException.class, () -> on(() -> {
        w.expect(2);
        return w.store("e:a", "1");
      }));
      assertTrue(failed.getCause().getMessage().contains("OOM"), failed.getCause().toString());
    } finally {
      app.redis().cli("CONFIG", "SET", "maxmemory", "0");
    }
  }
}
