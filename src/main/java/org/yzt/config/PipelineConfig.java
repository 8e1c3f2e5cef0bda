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
 * @param smsGraceMs        {@code smsGraceSeconds} (3600): the result SMS is retried until deadline + this
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
 * @param deadLetterRetentionMs {@code deadLetterRetentionSeconds} (604800): a dead letter, and the sealed
 *                          personal data it keeps for a redrive, lives no longer than this (SPEC §9)
 * @param deadLetterSweepMs how often a worker removes dead letters older than that, whether or not
 *                          anything new is dead-lettered
 * @param metricsPollMs     how often a process refreshes the job streams' backlog gauges
 */
public record PipelineConfig(long deadlineMs, long retryInitialMs, long retryMaxMs, long smsGraceMs, int maxInFlight,
    int batchSize, long blockMs, long claimIdleMs, int maxDeliveries, long parkAfterMs, long wakeIntervalMs,
    long smsDeliverWithinMs, int deadLetterMax, long consumerIdleMs, long pruneIntervalMs, long answerLingerMs,
    long deadLetterRetentionMs, long deadLetterSweepMs, long metricsPollMs) {

  public static PipelineConfig from(JsonObject p) {
    long retryInitial = Math.max(1, p.getLong("retryInitialMs", 1000L));
    return new PipelineConfig(
        p.getLong("deadlineSeconds", 172800L) * 1000L,
        retryInitial,
        Math.max(retryInitial, p.getLong("retryMaxMs", 600000L)),
        p.getLong("smsGraceSeconds", 3600L) * 1000L,
        Math.max(1, p.getInteger("maxInFlight", 128)),
        Math.max(1, p.getInteger("batchSize", 64)),
        Math.max(10, p.getLong("blockMs", 1000L)),
        Math.max(100, p.getLong("claimIdleMs", 30000L)),
        Math.max(1, p.getInteger("maxDeliveries", 5)),
        Math.max(0, p.getLong("parkAfterMs", 30000L)),
        Math.max(10, p.getLong("wakeIntervalMs", 1000L)),
        Math.max(100, p.getLong("smsDeliverWithinMs", 30000L)),
        Math.max(1, p.getInteger("deadLetterMax", 100_000)),
        Math.max(100, p.getLong("consumerIdleMs", 3_600_000L)),
        Math.max(100, p.getLong("pruneIntervalMs", 60_000L)),
        Math.max(0, p.getLong("answerLingerMs", 10L)),
        Math.max(1, p.getLong("deadLetterRetentionSeconds", 604800L)) * 1000L,
        Math.max(100, p.getLong("deadLetterSweepMs", 60_000L)),
        Math.max(100, p.getLong("metricsPollMs", 5000L)));
  }

  /** The retry schedule of SPEC §3: from {@code retryInitialMs}, doubling, capped at {@code retryMaxMs}, ±20 % jitter. */
  public Backoff backoff() {
    return new Backoff(retryInitialMs, retryMaxMs);
  }
}
