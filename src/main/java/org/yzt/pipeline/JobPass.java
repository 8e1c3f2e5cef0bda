package org.yzt.pipeline;

import org.yzt.store.JobFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.spi.LoggingEventBuilder;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.contract.QueryKind;
import org.yzt.pipeline.JobDispatcher.Outcome;
import org.yzt.tracing.JobTrace;

/**
 * One pass over one job: what the worker knows of it (personal data opened once, the verdict, the
 * answers so far, the retry count of the stage) and the moves every step shares — go on from a
 * stored state, finish, park, reload. The steps ({@link VerifyStep}, {@link QueryStep},
 * {@link NotifyStep}) do the work; each stores its result before the next begins.
 */
final class JobPass {
  final StepServices tools;
  final JobDispatcher runner;
  final Job job;
  final JobStore.Entry entry;
  final String queryId;
  final String rid;
  final OutcomeWriter outcomes;
  /** This pass's spans: one per step, children of the submitting request's trace. */
  final JobTrace trace;
  final Map<String, Map<String, Integer>> answers = new HashMap<>();
  /** A phone-card job (SPEC §13): asks carriers for card counts instead of enterprises for accounts. */
  final boolean cards;
  /** Carrier id → card count, for a phone-card job. */
  final Map<String, Integer> cardCounts = new HashMap<>();
  String phone;
  String idLast6;
  /** A phone-card job's name and ID number: in memory while the pass runs, sent to carriers only. */
  String name;
  String idNumber;
  String verdict;
  int attempts;
  /** False when what we hold in memory may differ from the stored answers. */
  boolean answersInSync = true;
  private JobState stage;
  private long stageStarted;

  JobPass(JobDispatcher runner, StepServices tools, Job job, JobTrace trace) {
    this.trace = trace;
    this.runner = runner;
    this.tools = tools;
    this.job = job;
    this.entry = job.entry;
    this.queryId = entry.queryId();
    this.rid = job.requestId();
    this.verdict = job.verdict();
    this.attempts = job.retryAttempts();
    this.cards = JobFields.CARDS.equals(job.fields.get(JobFields.KIND));
    this.outcomes = new OutcomeWriter(tools.store(), entry, tools.vertx(), tools.cfg().answerLingerMs(),
        tools.cfg().stepLingerMs());
  }

  QueryKind kind() {
    return cards ? QueryKind.CARDS : QueryKind.ACCOUNTS;
  }

  LoggingEventBuilder info() {
    return JobDispatcher.about(JobDispatcher.LOG.atInfo(), rid, queryId);
  }

  LoggingEventBuilder debug() {
    return JobDispatcher.about(JobDispatcher.LOG.atDebug(), rid, queryId);
  }

  LoggingEventBuilder warn() {
    return JobDispatcher.about(JobDispatcher.LOG.atWarn(), rid, queryId);
  }

  LoggingEventBuilder error() {
    return JobDispatcher.about(JobDispatcher.LOG.atError(), rid, queryId);
  }

  void beginStage(JobState name) {
    stage = name;
    stageStarted = System.nanoTime();
  }

  /** The stage this pass worked on is complete: its time goes to the stage timer. */
  void endStage() {
    if (stage != null) {
      tools.metrics().stage(kind(), stage, System.nanoTime() - stageStarted);
      stage = null;
    }
  }

  /** Works on the job from stored state {@code state} as far as it can go now. */
  Future<Outcome> step(String state) {
    // never null here: a record without a state is a job gone, which the load answers as none
    JobState st = JobState.of(state);
    if (st == null) {
      return Future.failedFuture(new IllegalStateException("job in unknown state " + state));
    }
    return step(st);
  }

  Future<Outcome> step(JobState st) {
    if (st.finished()) {
      trace.end(st.name());
      return tools.store().ack(entry).map(Outcome.FINISHED);
    }
    trace.step(st.name());
    if (phone == null) {
      String sealed = job.sealedPersonalData();
      if (sealed == null) {
        return Future.failedFuture(new IllegalStateException("job has no personal data"));
      }
      JsonObject pd = tools.personalData().decrypt(queryId, JobFields.PERSONAL, sealed);
      phone = pd.getString("phone");
      idLast6 = pd.getString("idLast6");
      name = pd.getString("name");
      idNumber = pd.getString("idNumber");
      readAnswers(job.fields);
    }
    return switch (st) {
      case QUERYING -> runner.query.run(this);
      case NOTIFYING -> runner.notify.run(this);
      default -> runner.verify.run(this);
    };
  }

  Future<Outcome> continueFrom(JobState st) {
    return st == null ? Future.succeededFuture(Outcome.GONE) : step(st);
  }

  /** Ends the job {@code from} → {@code to} (why: null for DONE), taking over what the pass held back. */
  Future<Outcome> finish(JobState from, JobState to, String why) {
    endStage();
    trace.end(to.name());
    return outcomes.absorb().compose(held -> {
      List<JobState> states = new ArrayList<>(held);
      states.add(from);
      return tools.store().finish(entry, states, to, why);
    }).compose(st -> {
      // `to` is DONE or FAILED: a finished job is ours or another worker's, and either way it is over
      if (st == null || st.finished()) {
        if (st != null) {
          tools.metrics().finished(kind(), st, job.createdAt());
          info().log("job finished: {}{}", st, why == null ? "" : " (" + why + ")");
        }
        return Future.succeededFuture(Outcome.FINISHED);
      }
      return continueFrom(st); // someone else moved it meanwhile: carry on from there
    });
  }

  Future<Outcome> park(RetryOutcome.Park<?> p) {
    tools.metrics().parked();
    stage = null; // a parked stage restarts its clock when the job wakes
    // the step's span ends with the pass (JobTrace.finish(PARKED)), or as an error if the park is not stored
    info().log("job parked for {} ms (retry {})", Math.max(0, p.wakeAt() - tools.clock().millis()), p.attempts());
    return outcomes.flush().compose(v -> tools.store().park(entry, p.wakeAt(), p.attempts())).map(Outcome.PARKED);
  }

  /** Reads the job again (its stored answers differ from ours) and goes on from there. */
  Future<Outcome> reloadAndStep() {
    PipelineConfig cfg = tools.cfg();
    return outcomes.flush().compose(v -> tools.store().load(new JobStore.Entry(entry.shard(), entry.id(), queryId), false, cfg.maxDeliveries(), cfg.deadLetterMax())
        .compose(fresh -> {
          if (fresh == null || fresh.dead) {
            return Future.succeededFuture(fresh == null ? Outcome.GONE : Outcome.DEAD);
          }
          answers.clear();
          cardCounts.clear();
          readAnswers(fresh.fields);
          answersInSync = true;
          verdict = fresh.verdict();
          return step(fresh.stateName());
        }));
  }

  void readAnswers(Map<String, String> fields) {
    if (cards) {
      for (CarrierConfig c : tools.carriers()) {
        String field = JobFields.cardAnswer(c.id());
        String v = fields.get(field);
        if (v != null && !v.startsWith("!")) {
          cardCounts.put(c.id(), tools.personalData().decrypt(queryId, field, v).getInteger("n"));
        }
      }
      return;
    }
    for (EnterpriseConfig e : tools.enterprises()) {
      String field = JobFields.answer(e.id());
      String v = fields.get(field);
      if (v != null && !v.startsWith("!")) {
        JsonObject a = tools.personalData().decrypt(queryId, field, v).getJsonObject("a", new JsonObject());
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String app : a.fieldNames()) {
          counts.put(app, a.getInteger(app));
        }
        answers.put(e.id(), counts);
      }
    }
  }

  /** The request id sent to a peer: the query id and a suffix per peer, the same on every retry. */
  String requestId(String suffix) {
    return queryId + "-" + suffix;
  }
}
