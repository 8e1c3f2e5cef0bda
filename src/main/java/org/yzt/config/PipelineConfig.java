package org.yzt.config;

import io.vertx.core.json.JsonObject;
import org.yzt.time.Backoff;

/**
 * {@code pipeline.*}: the deadline and retry schedule of SPEC §3, and how a worker reads the job
 * stream. Only the first three are contract; the others have working defaults.
 *
 * @param deadlineMs        {@code deadlineSeconds}: missing enterprises read 暂无法查询 after it
 * @param retryInitialMs    first retry delay of a transient failure, doubling
 * @param retryMaxMs        cap of the retry delay
 * @param smsGraceMs        {@code smsGraceSeconds}: the result SMS is retried until deadline + this
 * @param maxInFlight       jobs one verticle instance works on at once
 * @param batchSize         entries read per XREADGROUP
 * @param blockMs           XREADGROUP BLOCK time
 * @param claimIdleMs       an entry pending this long on a silent consumer is reclaimed (XAUTOCLAIM);
 *                          live workers refresh their entries every third of it
 * @param maxDeliveries     reclaims after which a job goes to the dead-letter stream
 * @param parkAfterMs       a retry further away than this parks the job in Redis instead of holding a slot
 * @param wakeIntervalMs    how often parked jobs that are due are put back on the stream
 * @param smsDeliverWithinMs time given to {@code yzt.sms.send} for one try
 * @param deadLetterMax     entries kept in the dead-letter stream (oldest dropped first)
 * @param consumerIdleMs    a consumer of the group idle this long with nothing pending is removed
 * @param pruneIntervalMs   how often a worker looks for such consumers
 * @param answerLingerMs    how long an enterprise's answer may wait for others to be stored with it
 *                          (one write for answers that land together; 0: each is written at once)
 * @param deadLetterRetentionMs {@code deadLetterRetentionSeconds}: a dead letter, and the sealed
 *                          personal data it keeps for a redrive, lives no longer than this (SPEC §9)
 * @param deadLetterSweepMs how often a worker removes dead letters older than that, whether or not
 *                          anything new is dead-lettered
 * @param metricsPollMs     how often a process refreshes the job streams' backlog gauges
 * @param streamShards      job streams and slots of the key layout (a power of two), fixed for a deployment
 * @param stepLingerMs      how long the end of a job's stage may wait to be stored with the next write (the
 *                          carrier's verdict with the answers, the answers with the finish; 0: at once)
 */
public record PipelineConfig(long deadlineMs, long retryInitialMs, long retryMaxMs, long smsGraceMs, int maxInFlight,
    int batchSize, long blockMs, long claimIdleMs, int maxDeliveries, long parkAfterMs, long wakeIntervalMs,
    long smsDeliverWithinMs, int deadLetterMax, long consumerIdleMs, long pruneIntervalMs, long answerLingerMs,
    long deadLetterRetentionMs, long deadLetterSweepMs, long metricsPollMs, int streamShards, long stepLingerMs) {
  private static final String S = "pipeline";


  /** Reads the {@code pipeline} section; a value below its least (named in the message) is refused. */
  public static PipelineConfig from(JsonObject p) {
    long retryInitial = ConfigValues.positive(p, S, "retryInitialMs", 1000);
    long retryMax = ConfigValues.positive(p, S, "retryMaxMs", 600_000);
    if (retryMax < retryInitial) {
      throw new IllegalArgumentException("pipeline.retryMaxMs must be at least pipeline.retryInitialMs");
    }
    return new PipelineConfig(
        ConfigValues.positive(p, S, "deadlineSeconds", 172_800) * 1000L,
        retryInitial,
        retryMax,
        ConfigValues.atLeast(p, S, "smsGraceSeconds", 0, 3600) * 1000L,
        ConfigValues.intAtLeast(p, S, "maxInFlight", 1, 128),
        ConfigValues.intAtLeast(p, S, "batchSize", 1, 64),
        ConfigValues.atLeast(p, S, "blockMs", 10, 1000),
        ConfigValues.atLeast(p, S, "claimIdleMs", 100, 30_000),
        ConfigValues.intAtLeast(p, S, "maxDeliveries", 1, 5),
        ConfigValues.atLeast(p, S, "parkAfterMs", 0, 30_000),
        ConfigValues.atLeast(p, S, "wakeIntervalMs", 10, 1000),
        ConfigValues.atLeast(p, S, "smsDeliverWithinMs", 100, 30_000),
        ConfigValues.intAtLeast(p, S, "deadLetterMax", 1, 100_000),
        ConfigValues.atLeast(p, S, "consumerIdleMs", 100, 3_600_000),
        ConfigValues.atLeast(p, S, "pruneIntervalMs", 100, 60_000),
        ConfigValues.atLeast(p, S, "answerLingerMs", 0, 10),
        ConfigValues.positive(p, S, "deadLetterRetentionSeconds", 604_800) * 1000L,
        ConfigValues.atLeast(p, S, "deadLetterSweepMs", 100, 60_000),
        ConfigValues.atLeast(p, S, "metricsPollMs", 100, 5000),
        ConfigValues.intAtLeast(p, S, "streamShards", 1, 16),
        ConfigValues.atLeast(p, S, "stepLingerMs", 0, 100));
  }

  /** The retry schedule of SPEC §3: from {@code retryInitialMs}, doubling, capped at {@code retryMaxMs}, ±20 % jitter. */
  public Backoff backoff() {
    return new Backoff(retryInitialMs, retryMaxMs);
  }
}
