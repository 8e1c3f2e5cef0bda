package org.yzt.pipeline;

import org.yzt.store.JobFields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.contract.Bus;
import org.yzt.contract.CarrierClient;
import org.yzt.contract.EnterpriseClient;
import org.yzt.contract.SmsClient;
import org.yzt.runtime.AppContext;
import org.yzt.tracing.JobTrace;
import org.yzt.tracing.Tracing;

/**
 * Runs one job from where it stands to where it can go now (SPEC §3): loads it (a job reclaimed too
 * often without progress goes to the dead-letter stream instead) and hands it to its step —
 * {@link VerifyStep} → {@link QueryStep} → {@link NotifyStep} → DONE, or FAILED. Each step is stored
 * before the next begins, so a resumed job repeats nothing that already happened; transient failures
 * are retried, or the job parked, by {@link RetryOrPark}. Stateless between jobs; one per worker.
 *
 * <p>Every log line about a job (this logger, whichever step writes it) carries the key-values
 * {@code requestId} (the front door's request id, kept in the job's {@code rid} field) and
 * {@code queryId}, and masks nothing because it names no number. Meters: {@link PipelineMetrics}.
 */
final class JobDispatcher {
  static final Logger LOG = LoggerFactory.getLogger(JobDispatcher.class);

  enum Outcome { FINISHED, PARKED, DEAD, GONE }

  final VerifyStep verify = new VerifyStep();
  final QueryStep query = new QueryStep();
  final NotifyStep notify = new NotifyStep();
  private final StepServices tools;
  private final PipelineConfig cfg;
  private final Tracing tracing;
  /**
   * The passes running now, by stream entry (its shard too: an entry id is unique in its stream only): what
   * they hold back is written before the worker hands them back.
   */
  private final Map<JobStore.Entry, JobPass> running = new HashMap<>();

  JobDispatcher(AppContext ctx, Vertx vertx, JobStore store, PipelineConfig cfg, List<EnterpriseConfig> enterprises) {
    this.cfg = cfg;
    this.tracing = ctx.sharedIfPresent(Tracing.class);
    Bus bus = new Bus(vertx);
    List<CarrierConfig> carriers = CarrierConfig.all(ctx.config);
    this.tools = new StepServices(vertx, store, cfg, new RetryOrPark(vertx, cfg.backoff(), cfg.parkAfterMs(), ctx.clock), enterprises,
        carriers, ctx.personalData, new PipelineMetrics(ctx.metrics, ctx.clock),
        new CarrierClient(bus, CarrierConfig.longestTimeoutMs(carriers)), new EnterpriseClient(bus), new SmsClient(bus), ctx.clock);
  }

  /**
   * Writes what every running pass holds back (the worker stops and hands its jobs back: another worker
   * resumes them from what is stored); answers once each has been tried.
   */
  Future<Void> flushHeld() {
    List<Future<Void>> writes = new ArrayList<>();
    running.values().forEach(p -> writes.add(p.outcomes.flush()));
    return Future.join(writes).mapEmpty();
  }

  PipelineMetrics metrics() {
    return tools.metrics();
  }

  /** A log line about a job: with its request id and query id as key-values. */
  static LoggingEventBuilder about(LoggingEventBuilder b, String requestId, String queryId) {
    return b.addKeyValue("requestId", requestId == null ? "" : requestId).addKeyValue("queryId", queryId);
  }

  /** A new entry, its job picked up with the read that delivered it ({@link JobIntake}) or not yet. */
  Future<Outcome> run(JobStore.Taken taken) {
    // through compose: a step that throws (a record it cannot open) fails the future, as after a load
    return taken.pickedUp()
        ? Future.succeededFuture(taken.job()).compose(job -> run(taken.entry(), false, job))
        : run(taken.entry(), false);
  }

  Future<Outcome> run(JobStore.Entry entry, boolean reclaimed) {
    JobStore store = tools.store();
    if (entry.queryId() == null) {
      LOG.warn("job stream entry {} names no query; dropped", entry.id());
      return store.ack(entry).map(Outcome.GONE);
    }
    return store.load(entry, reclaimed, cfg.maxDeliveries(), cfg.deadLetterMax())
        .onFailure(err -> about(LOG.atWarn(), null, entry.queryId())
            .log("job could not be loaded ({}); it will be resumed", JobStream.describe(err)))
        .compose(job -> run(entry, reclaimed, job));
  }

  /** Runs a job just picked up: null when it no longer exists. */
  private Future<Outcome> run(JobStore.Entry entry, boolean reclaimed, Job job) {
    JobStore store = tools.store();
    if (job == null) {
      return Future.succeededFuture(Outcome.GONE);
    }
    if (job.dead) {
      tools.metrics().deadLettered();
      about(LOG.atError(), job.requestId(), entry.queryId()).addKeyValue("event", "pipeline.dead_letter")
          .log("job reclaimed {} times without progress; FAILED and moved to the dead-letter stream",
              cfg.maxDeliveries());
      return Future.succeededFuture(Outcome.DEAD);
    }
    JobTrace trace = JobTrace.of(tracing, job.fields.get(JobFields.TRACE), entry.queryId()).reclaimed(reclaimed);
    if (!trace.recording() && job.fields.get(JobFields.TRACE) == null && job.fields.get(JobFields.TRACE_LINK) != null) {
      // a redriven dead letter: a new trace, linked to its first run's, kept with the job from now on
      trace = JobTrace.redriven(tracing, job.fields.get(JobFields.TRACE_LINK), entry.queryId());
      if (trace.recording()) {
        store.adoptTrace(entry, trace.traceparent());
      }
    }
    JobTrace traced = trace;
    JobPass run = new JobPass(this, tools, job, traced);
    running.put(entry, run);
    if (reclaimed) {
      run.info().log("job resumed at {}: its worker went silent", job.stateName());
    } else {
      run.info().log("job picked up at {}", job.stateName());
    }
    return run.step(job.stateName())
        .onComplete(ar -> running.remove(entry))
        .onSuccess(outcome -> traced.finish(outcome.name()))
        .onFailure(err -> {
          traced.fail(err);
          run.warn().log("job stopped on {}; it will be resumed", JobStream.describe(err));
        });
  }
}
