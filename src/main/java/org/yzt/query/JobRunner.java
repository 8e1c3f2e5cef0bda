package org.yzt.query;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.yzt.AppContext;
import org.yzt.common.Addresses;
import org.yzt.enterprise.EnterpriseConfig;

/**
 * Runs one job from where it stands to where it can go now (SPEC §3):
 * VERIFYING (carrier) → QUERYING (every enterprise still missing, in parallel) → NOTIFYING (one
 * SMS with a messageId fixed by the query id) → DONE, or FAILED. Each step is stored before the
 * next begins, so a resumed job repeats nothing that already happened. A transient failure is
 * retried with doubling back-off; a retry further away than {@code parkAfterMs} parks the job in
 * Redis rather than holding a worker slot. Stateless between jobs; one per verticle instance.
 *
 * <p>Every log line about a job carries the key-values {@code requestId} (the front door's request
 * id, kept in the job's {@code rid} field) and {@code queryId}, and masks nothing because it names no
 * number. Metrics: {@code yzt_pipeline_stage_duration_seconds{stage}} (time a worker spent on a stage
 * in the pass that completed it), {@code yzt_pipeline_job_duration_seconds{status}} (acceptance to
 * DONE or FAILED), {@code yzt_pipeline_jobs_finished_total{status}}, {@code
 * yzt_pipeline_jobs_parked_total}, {@code yzt_pipeline_dead_letters_total}.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
  static final String ST_VERIFYING = "VERIFYING";
  static final String ST_QUERYING = "QUERYING";
  static final String ST_NOTIFYING = "NOTIFYING";
  static final String ST_DONE = "DONE";
  static final String ST_FAILED = "FAILED";

  enum Outcome { FINISHED, PARKED, DEAD, GONE }

  private final AppContext ctx;
  private final Vertx vertx;
  private final JobStore store;
  private final PipelineConfig cfg;
  private final List<EnterpriseConfig> enterprises;
  private final MeterRegistry metrics;
  private final Counter deadLetters;
  private final Counter parked;
  private final Map<String, Timer> stageTimers = new HashMap<>();

  JobRunner(AppContext ctx, Vertx vertx, JobStore store, PipelineConfig cfg, List<EnterpriseConfig> enterprises) {
    this.ctx = ctx;
    this.vertx = vertx;
    this.store = store;
    this.cfg = cfg;
    this.enterprises = enterprises;
    this.metrics = ctx.metrics;
    this.deadLetters = Counter.builder("yzt.pipeline.dead.letters").description("jobs moved to the dead-letter stream")
        .register(metrics);
    this.parked = Counter.builder("yzt.pipeline.jobs.parked").description("jobs parked until a later retry")
        .register(metrics);
    for (String stage : List.of("verifying", "querying", "notifying")) {
      stageTimers.put(stage, Timer.builder("yzt.pipeline.stage.duration")
          .description("time a worker spent on a pipeline stage, in the pass that completed it")
          .tag("stage", stage)
          .publishPercentileHistogram()
          .minimumExpectedValue(java.time.Duration.ofMillis(5))
          .maximumExpectedValue(java.time.Duration.ofMinutes(10))
          .register(metrics));
    }
  }

  private Timer jobDuration(String status) {
    return Timer.builder("yzt.pipeline.job.duration").description("time from acceptance to DONE or FAILED")
        .tag("status", status)
        .publishPercentileHistogram()
        .minimumExpectedValue(java.time.Duration.ofMillis(50))
        .maximumExpectedValue(java.time.Duration.ofHours(49))
        .register(metrics);
  }

  /** A log line about a job: with its request id and query id as key-values. */
  private static LoggingEventBuilder about(LoggingEventBuilder b, String requestId, String queryId) {
    return b.addKeyValue("requestId", requestId == null ? "" : requestId).addKeyValue("queryId", queryId);
  }

  Future<Outcome> run(JobStore.Entry entry, boolean reclaimed) {
    if (entry.queryId() == null) {
      LOG.warn("job stream entry {} names no query; dropped", entry.id());
      return store.ack(entry).map(Outcome.GONE);
    }
    return store.load(entry, reclaimed, cfg.maxDeliveries())
        .onFailure(err -> about(LOG.atWarn(), null, entry.queryId())
            .log("job could not be loaded ({}); it will be resumed", err.getClass().getSimpleName()))
        .compose(job -> {
          if (job == null) {
            return Future.succeededFuture(Outcome.GONE);
          }
          if (job.dead) {
            deadLetters.increment();
            about(LOG.atError(), job.requestId(), entry.queryId()).addKeyValue("event", "pipeline.dead_letter")
                .log("job failed {} times in a row; moved to the dead-letter stream", cfg.maxDeliveries());
            return Future.succeededFuture(Outcome.DEAD);
          }
          Run run = new Run(job);
          if (reclaimed) {
            run.info().log("job resumed at {}: its worker went silent", job.state());
          } else {
            run.info().log("job picked up at {}", job.state());
          }
          return run.step(job.state()).onFailure(err -> run.warn()
              .log("job stopped on {}; it will be resumed", err.toString()));
        });
  }

  /** The result of a call retried until a time limit. */
  private sealed interface Attempt<T> {}

  private record Success<T>(T value) implements Attempt<T> {}

  private record Permanent<T>(Throwable cause) implements Attempt<T> {}

  private record Expired<T>() implements Attempt<T> {}

  private record Park<T>(long wakeAt, int attempts) implements Attempt<T> {}

  /** One pass over one job. */
  private final class Run {
    final Job job;
    final JobStore.Entry entry;
    final String queryId;
    final String rid;
    String stage;
    long stageStarted;
    String phone;
    String idLast6;
    String verdict;
    int attempts;
    final Map<String, Map<String, Integer>> answers = new HashMap<>();
    /** False when what we hold in memory may differ from the stored answers. */
    boolean answersInSync = true;
    /** Enterprise outcomes (field, value, …) waiting for the next write, and who waits for it. */
    List<String> pendingOutcomes = new ArrayList<>();
    List<Promise<String>> outcomeWaiters = new ArrayList<>();
    boolean writingOutcomes;

    Run(Job job) {
      this.job = job;
      this.entry = job.entry;
      this.queryId = entry.queryId();
      this.rid = job.requestId();
      this.verdict = job.verdict();
      this.attempts = job.retryAttempts();
    }

    LoggingEventBuilder info() {
      return about(LOG.atInfo(), rid, queryId);
    }

    LoggingEventBuilder warn() {
      return about(LOG.atWarn(), rid, queryId);
    }

    LoggingEventBuilder error() {
      return about(LOG.atError(), rid, queryId);
    }

    void beginStage(String name) {
      stage = name;
      stageStarted = System.nanoTime();
    }

    /** The stage this pass worked on is complete: its time goes to the stage timer. */
    void endStage() {
      if (stage != null) {
        stageTimers.get(stage).record(System.nanoTime() - stageStarted, java.util.concurrent.TimeUnit.NANOSECONDS);
        stage = null;
      }
    }

    Future<Outcome> step(String state) {
      if (state == null) {
        return Future.succeededFuture(Outcome.GONE);
      }
      switch (state) {
        case ST_DONE, ST_FAILED:
          return store.ack(entry).map(Outcome.FINISHED);
        case "ACCEPTED", ST_VERIFYING, ST_QUERYING, ST_NOTIFYING:
          break;
        default:
          return Future.failedFuture(new IllegalStateException("job in unknown state " + state));
      }
      if (phone == null) {
        String sealed = job.fields.get("pd");
        if (sealed == null) {
          return Future.failedFuture(new IllegalStateException("job has no personal data"));
        }
        JsonObject pd = ctx.personalData.decrypt(queryId, sealed);
        phone = pd.getString("phone");
        idLast6 = pd.getString("idLast6");
        readAnswers(job.fields);
      }
      return switch (state) {
        case ST_QUERYING -> query();
        case ST_NOTIFYING -> notifyResult();
        default -> verify();
      };
    }

    // ---- VERIFYING ----------------------------------------------------------------------------

    Future<Outcome> verify() {
      if (verdict != null) {
        return afterVerdict(verdict, ST_VERIFYING);
      }
      beginStage("verifying");
      JsonObject body = new JsonObject().put("phone", phone).put("idLast6", idLast6).put("requestId", requestId("c"));
      long timeout = carrierTimeoutMs();
      return retrying(() -> request(Addresses.CARRIER_VERIFY, body, timeout)
              .map(m -> m.body().getString("result")),
          err -> !(err instanceof ReplyException re && re.failureCode() == 400), job.deadline(), attempts, timeout)
          .compose(a -> {
            if (a instanceof Success<String> s) {
              return afterVerdict(s.value(), ST_VERIFYING);
            }
            if (a instanceof Park<String> p) {
              return park(p);
            }
            String why = a instanceof Permanent ? "unsupported-number" : "unverified";
            warn().log("no carrier verdict ({}); FAILED without a text", why);
            return finish(ST_VERIFYING, ST_FAILED, "why", why);
          });
    }

    Future<Outcome> afterVerdict(String v, String from) {
      String next;
      switch (v == null ? "" : v) {
        case "MATCH" -> next = ST_QUERYING;
        case "MISMATCH", "NOT_FOUND" -> next = ST_NOTIFYING;
        case "CANCELLED" -> {
          return finish(from, ST_FAILED, "why", "cancelled");
        }
        default -> {
          return Future.failedFuture(new IllegalStateException("carrier verdict not understood"));
        }
      }
      endStage();
      info().log("carrier verdict {}", v);
      verdict = v;
      attempts = 0;
      return store.advance(entry, List.of(from), next, false, "cv", v, "ra", "0").compose(this::continueFrom);
    }

    // ---- QUERYING -----------------------------------------------------------------------------

    Future<Outcome> query() {
      long deadline = job.deadline();
      beginStage("querying");
      List<Future<Attempt<Void>>> asks = new ArrayList<>();
      for (EnterpriseConfig e : enterprises) {
        if (job.answer(e.id()) != null) {
          continue; // answered (or failed) before: never asked again
        }
        asks.add(ask(e, deadline));
      }
      return Future.join(asks).transform(ignored -> {
        long wakeAt = Long.MAX_VALUE;
        int maxAttempts = 0;
        for (Future<Attempt<Void>> f : asks) {
          if (f.failed()) {
            return Future.failedFuture(f.cause()); // Redis unreachable: leave the job to be resumed
          }
          if (f.result() instanceof Park<Void> p) {
            wakeAt = Math.min(wakeAt, p.wakeAt());
            maxAttempts = Math.max(maxAttempts, p.attempts());
          }
        }
        if (wakeAt != Long.MAX_VALUE) {
          return park(new Park<>(wakeAt, maxAttempts));
        }
        attempts = 0;
        endStage();
        info().log("every enterprise answered, failed or ran out of time");
        return store.advance(entry, List.of(ST_QUERYING), ST_NOTIFYING, false, "ra", "0").compose(st -> {
          if (ST_NOTIFYING.equals(st) && !answersInSync) {
            return reloadAndStep();
          }
          return continueFrom(st);
        });
      });
    }

    /** Asks one enterprise until it answers, fails for good, or the deadline passes; stores the outcome. */
    Future<Attempt<Void>> ask(EnterpriseConfig e, long deadline) {
      JsonObject body = new JsonObject().put("phone", phone).put("requestId", requestId(e.id()));
      long timeout = e.timeoutMs() * 2 + 2000;
      return retrying(() -> request(Addresses.enterpriseCount(e.id()), body, timeout).map(m -> m.body()),
          JobRunner::transientEnterpriseFailure, deadline, attempts, timeout)
          .compose(a -> {
            if (a instanceof Success<JsonObject> s) {
              Map<String, Integer> counts = counts(e, s.value().getJsonObject("accounts", new JsonObject()));
              JsonObject sealedBody = new JsonObject();
              counts.forEach(sealedBody::put);
              return storeOutcome("e:" + e.id(), ctx.personalData.encrypt(queryId, new JsonObject().put("a", sealedBody)))
                  .map(st -> {
                    if (ST_QUERYING.equals(st)) {
                      answers.put(e.id(), counts);
                    } else {
                      answersInSync = false;
                    }
                    return (Attempt<Void>) new Success<Void>(null);
                  });
            }
            if (a instanceof Permanent<JsonObject> p) {
              String code = p.cause() instanceof ReplyException re ? Integer.toString(re.failureCode()) : "x";
              warn().addKeyValue("enterprise", e.id())
                  .log("enterprise {} failed for good ({}); its apps read 暂无法查询", e.id(), code);
              return storeOutcome("e:" + e.id(), "!" + code)
                  .map(st -> (Attempt<Void>) new Success<Void>(null));
            }
            if (a instanceof Park<JsonObject> p) {
              return Future.succeededFuture(new Park<Void>(p.wakeAt(), p.attempts()));
            }
            info().addKeyValue("enterprise", e.id()).log("enterprise {} did not answer by the deadline", e.id());
            return Future.succeededFuture(new Expired<Void>());
          });
    }

    /**
     * Stores one enterprise's outcome on the job (while it is QUERYING) and answers the job's state
     * afterwards. Group commit: the write starts at once unless one is already in flight for this
     * job; outcomes arriving meanwhile go together in the next write, started as soon as that one
     * completes. No outcome waits for another to arrive, and each is stored before its enterprise
     * counts as done, but a job whose eight answers land within a write's round trip costs two or
     * three writes instead of eight.
     */
    Future<String> storeOutcome(String field, String value) {
      Promise<String> stored = Promise.promise();
      pendingOutcomes.add(field);
      pendingOutcomes.add(value);
      outcomeWaiters.add(stored);
      if (!writingOutcomes) {
        writeOutcomes();
      }
      return stored.future();
    }

    private void writeOutcomes() {
      List<String> fields = pendingOutcomes;
      List<Promise<String>> waiters = outcomeWaiters;
      pendingOutcomes = new ArrayList<>();
      outcomeWaiters = new ArrayList<>();
      writingOutcomes = true;
      store.advance(entry, List.of(ST_QUERYING), null, false, fields.toArray(new String[0])).onComplete(ar -> {
        writingOutcomes = false;
        if (!pendingOutcomes.isEmpty()) {
          writeOutcomes();
        }
        for (Promise<String> w : waiters) {
          if (ar.succeeded()) {
            w.complete(ar.result());
          } else {
            w.fail(ar.cause());
          }
        }
      });
    }

    // ---- NOTIFYING ----------------------------------------------------------------------------

    Future<Outcome> notifyResult() {
      boolean matched = "MATCH".equals(verdict);
      String text = matched ? ResultText.result(phone, enterprises, answers) : ResultText.FAILURE;
      String messageId = queryId + (matched ? "-r" : "-f");
      long giveUpAt = job.deadline() + cfg.smsGraceMs();
      beginStage("notifying");
      return retrying(() -> {
        long within = Math.max(1000, Math.min(cfg.smsDeliverWithinMs(), giveUpAt - System.currentTimeMillis()));
        JsonObject body = new JsonObject().put("messageId", messageId).put("to", phone).put("text", text)
            .put("deliverWithinMs", within);
        return request(Addresses.SMS_SEND, body, within + 5000);
      }, err -> !(err instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 500
          && re.failureType() == ReplyFailure.RECIPIENT_FAILURE), giveUpAt, attempts, cfg.smsDeliverWithinMs() + 5000)
          .compose(a -> {
            if (a instanceof Success) {
              return matched ? finish(ST_NOTIFYING, ST_DONE) : finish(ST_NOTIFYING, ST_FAILED, "why", "identity");
            }
            if (a instanceof Park<Message<JsonObject>> p) {
              return park(p);
            }
            error().log("the SMS gateway did not take the text in time; FAILED");
            return finish(ST_NOTIFYING, ST_FAILED, "why", "sms");
          });
    }

    // ---- helpers ------------------------------------------------------------------------------

    Future<Outcome> continueFrom(String st) {
      return st == null ? Future.succeededFuture(Outcome.GONE) : step(st);
    }

    Future<Outcome> finish(String from, String to, String... fields) {
      endStage();
      return store.advance(entry, List.of(from), to, true, fields).compose(st -> {
        if (st == null || st.equals(to) || ST_DONE.equals(st) || ST_FAILED.equals(st)) {
          if (ST_DONE.equals(st) || ST_FAILED.equals(st)) {
            metrics.counter("yzt.pipeline.jobs.finished", "status", st).increment();
            long created = job.createdAt();
            if (created > 0) {
              jobDuration(st).record(Math.max(0, System.currentTimeMillis() - created), java.util.concurrent.TimeUnit.MILLISECONDS);
            }
            info().log("job finished: {}{}", st, fields.length >= 2 ? " (" + fields[1] + ")" : "");
          }
          return Future.succeededFuture(Outcome.FINISHED);
        }
        return continueFrom(st); // someone else moved it meanwhile: carry on from there
      });
    }

    Future<Outcome> park(Park<?> p) {
      parked.increment();
      stage = null; // a parked stage restarts its clock when the job wakes
      info().log("job parked for {} ms (retry {})", Math.max(0, p.wakeAt() - System.currentTimeMillis()), p.attempts());
      return store.park(entry, p.wakeAt(), p.attempts()).map(Outcome.PARKED);
    }

    Future<Outcome> reloadAndStep() {
      return store.load(new JobStore.Entry(entry.id(), queryId), false, cfg.maxDeliveries()).compose(fresh -> {
        if (fresh == null || fresh.dead) {
          return Future.succeededFuture(fresh == null ? Outcome.GONE : Outcome.DEAD);
        }
        answers.clear();
        readAnswers(fresh.fields);
        answersInSync = true;
        verdict = fresh.verdict();
        return step(fresh.state());
      });
    }

    void readAnswers(Map<String, String> fields) {
      for (EnterpriseConfig e : enterprises) {
        String v = fields.get("e:" + e.id());
        if (v != null && !v.startsWith("!")) {
          JsonObject a = ctx.personalData.decrypt(queryId, v).getJsonObject("a", new JsonObject());
          Map<String, Integer> counts = new LinkedHashMap<>();
          for (String app : a.fieldNames()) {
            counts.put(app, a.getInteger(app));
          }
          answers.put(e.id(), counts);
        }
      }
    }

    String requestId(String suffix) {
      return queryId + "-" + suffix;
    }

    /**
     * Retries {@code call} on transient failures until {@code giveUpAt}; long waits become a {@link Park}.
     * {@code callTimeoutMs} bounds one call (its event-bus timeout): a timer that ends the retrying at
     * {@code giveUpAt} is only set once the deadline is that close, since until then every call ends,
     * and the next attempt re-checks, before it. (A 48-hour timer per call cost a timer-heap insert
     * and removal for nothing, ten times per query.)
     */
    <T> Future<Attempt<T>> retrying(Supplier<Future<T>> call, Predicate<Throwable> isTransient, long giveUpAt,
        int startAttempts, long callTimeoutMs) {
      Retry<T> r = new Retry<>(call, isTransient, giveUpAt, callTimeoutMs);
      if (giveUpAt - System.currentTimeMillis() <= 0) {
        r.done.complete(new Expired<>());
        return r.done.future();
      }
      r.done.future().onComplete(ar -> {
        if (r.giveUpTimer >= 0) {
          vertx.cancelTimer(r.giveUpTimer);
        }
      });
      attempt(r, startAttempts);
      return r.done.future();
    }

    private final class Retry<T> {
      final Supplier<Future<T>> call;
      final Predicate<Throwable> isTransient;
      final long giveUpAt;
      final long callTimeoutMs;
      final Promise<Attempt<T>> done = Promise.promise();
      long giveUpTimer = -1;

      Retry(Supplier<Future<T>> call, Predicate<Throwable> isTransient, long giveUpAt, long callTimeoutMs) {
        this.call = call;
        this.isTransient = isTransient;
        this.giveUpAt = giveUpAt;
        this.callTimeoutMs = callTimeoutMs;
      }

      /** Sets the give-up timer if it is not set yet and the deadline is within {@code withinMs}. */
      void armGiveUp(long now, long withinMs) {
        long remaining = giveUpAt - now;
        if (giveUpTimer < 0 && remaining <= withinMs && !done.future().isComplete()) {
          giveUpTimer = vertx.setTimer(Math.max(1, remaining), t -> done.tryComplete(new Expired<>()));
        }
      }
    }

    <T> void attempt(Retry<T> r, int n) {
      Promise<Attempt<T>> done = r.done;
      if (done.future().isComplete()) {
        return;
      }
      r.armGiveUp(System.currentTimeMillis(), r.callTimeoutMs);
      Future<T> f;
      try {
        f = r.call.get();
      } catch (RuntimeException e) {
        f = Future.failedFuture(e);
      }
      f.onComplete(ar -> {
        if (done.future().isComplete()) {
          return;
        }
        if (ar.succeeded()) {
          done.tryComplete(new Success<>(ar.result()));
          return;
        }
        if (!r.isTransient.test(ar.cause())) {
          done.tryComplete(new Permanent<>(ar.cause()));
          return;
        }
        int next = n + 1;
        long delay = cfg.backoff(next);
        long now = System.currentTimeMillis();
        long wakeAt = Math.min(now + delay, r.giveUpAt);
        if (wakeAt - now > cfg.parkAfterMs()) {
          done.tryComplete(new Park<>(wakeAt, next));
        } else if (now + delay < r.giveUpAt) {
          vertx.setTimer(delay, t -> attempt(r, next));
        } else {
          r.armGiveUp(now, Long.MAX_VALUE); // the deadline comes before the next attempt would
        }
      });
    }

    Future<Message<JsonObject>> request(String address, JsonObject body, long timeoutMs) {
      return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs));
    }

    long carrierTimeoutMs() {
      long max = 3000;
      for (Object o : ctx.config.getJsonArray("carriers", new JsonArray())) {
        max = Math.max(max, ((JsonObject) o).getLong("timeoutMs", 3000L));
      }
      return max + 2000;
    }
  }

  /** Configured apps in configured order; omitted ones count 0 (the connector already did this). */
  static Map<String, Integer> counts(EnterpriseConfig e, JsonObject accounts) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String app : e.apps()) {
      Object v = accounts.getValue(app);
      out.put(app, v instanceof Number n ? n.intValue() : 0);
    }
    return out;
  }

  /** 503 and a connector that did not answer are worth retrying; 400 and 502 are final (EnterpriseVerticle). */
  static boolean transientEnterpriseFailure(Throwable err) {
    if (err instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
      return re.failureCode() != 400 && re.failureCode() != 502;
    }
    return true;
  }
}
