package org.yzt.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yzt.contract.QueryKind;

/**
 * The pipeline's meters: {@code yzt_pipeline_stage_duration_seconds{stage,kind}} (time a worker spent on
 * a stage in the pass that completed it), {@code yzt_pipeline_job_duration_seconds{status,kind}}
 * (acceptance to DONE or FAILED), {@code yzt_pipeline_jobs_finished_total{status,kind}} (kind: the
 * query's, "accounts" or "cards"),
 * {@code yzt_pipeline_jobs_parked_total}, {@code yzt_pipeline_jobs_reclaimed_total} (jobs taken over from a
 * silent worker), {@code yzt_pipeline_dead_letters_total},
 * {@code yzt_pipeline_passes_stopped_total} (a pass that ended in error: Redis failing or too slow, a record
 * it cannot open, a bug; a peer's failure is retried or parked instead. Its job waits {@code pipeline.claimIdleMs}
 * for a reclaim: a rate above zero is worth an alert).
 */
final class PipelineMetrics {
  private final MeterRegistry registry;
  private final Clock clock;
  private final Counter deadLetters;
  private final Counter parked;
  private final Counter stopped;
  private final Counter reclaimed;
  /** Meters by kind then stage or final status, built once: a look-up per finished job costs more than the count itself. */
  private final Map<QueryKind, Map<JobState, Timer>> stageTimers = new EnumMap<>(QueryKind.class);
  private final Map<QueryKind, Map<JobState, Counter>> finished = new EnumMap<>(QueryKind.class);
  private final Map<QueryKind, Map<JobState, Timer>> jobDurations = new EnumMap<>(QueryKind.class);

  PipelineMetrics(MeterRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
    this.deadLetters = Counter.builder("yzt.pipeline.dead.letters").description("jobs moved to the dead-letter stream")
        .register(registry);
    this.parked = Counter.builder("yzt.pipeline.jobs.parked").description("jobs parked until a later retry")
        .register(registry);
    this.stopped = Counter.builder("yzt.pipeline.passes.stopped")
        .description("job passes that ended in error; their jobs wait for a reclaim").register(registry);
    this.reclaimed = Counter.builder("yzt.pipeline.jobs.reclaimed").description("jobs taken over from a silent worker")
        .register(registry);
    for (QueryKind kind : QueryKind.values()) {
      stageTimers.put(kind, new EnumMap<>(JobState.class));
      finished.put(kind, new EnumMap<>(JobState.class));
      jobDurations.put(kind, new EnumMap<>(JobState.class));
      register(registry, kind);
    }
  }

  private void register(MeterRegistry registry, QueryKind kind) {
    for (JobState stage : new JobState[] {JobState.VERIFYING, JobState.QUERYING, JobState.NOTIFYING}) {
      stageTimers.get(kind).put(stage, Timer.builder("yzt.pipeline.stage.duration")
          .description("time a worker spent on a pipeline stage, in the pass that completed it")
          .tag("stage", stage.name().toLowerCase())
          .tag("kind", kind.wire)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(5))
          .maximumExpectedValue(Duration.ofMinutes(10))
          .register(registry));
    }
    for (JobState status : new JobState[] {JobState.DONE, JobState.FAILED}) {
      finished.get(kind).put(status, Counter.builder("yzt.pipeline.jobs.finished").tag("status", status.name())
          .tag("kind", kind.wire).register(registry));
      jobDurations.get(kind).put(status, Timer.builder("yzt.pipeline.job.duration")
          .description("time from acceptance to DONE or FAILED")
          .tag("status", status.name())
          .tag("kind", kind.wire)
          .publishPercentileHistogram()
          .minimumExpectedValue(Duration.ofMillis(50))
          .maximumExpectedValue(Duration.ofHours(49))
          .register(registry));
    }
  }

  void deadLettered() {
    deadLetters.increment();
  }

  void parked() {
    parked.increment();
  }

  /** A pass ended in error rather than with an outcome: its job waits for a reclaim. */
  void stopped() {
    stopped.increment();
  }

  void reclaimed() {
    reclaimed.increment();
  }

  void stage(QueryKind kind, JobState stage, long nanos) {
    stageTimers.get(kind).get(stage).record(nanos, TimeUnit.NANOSECONDS);
  }

  void finished(QueryKind kind, JobState status, long createdAtMs) {
    Counter count = finished.get(kind).get(status);
    if (count == null) {
      return; // not a final status
    }
    count.increment();
    if (createdAtMs > 0) {
      jobDurations.get(kind).get(status).record(Math.max(0, clock.millis() - createdAtMs), TimeUnit.MILLISECONDS);
    }
  }
}
