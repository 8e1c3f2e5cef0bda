package org.yzt.pipeline;

import io.vertx.core.Vertx;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.store.Shard;
import org.yzt.config.PipelineConfig;

/**
 * A pipeline worker's periodic upkeep of the job streams, beside its reading: parked jobs that are due
 * put back on their stream (every {@code wakeIntervalMs}), consumers idle past {@code consumerIdleMs}
 * with nothing pending removed (every {@code pruneIntervalMs}), dead letters past
 * {@code deadLetterRetentionMs} removed with their sealed data (every {@code deadLetterSweepMs}, SPEC §9).
 * Logged as {@link PipelineVerticle}, whose work it is.
 */
final class StreamUpkeep {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineVerticle.class);

  private final Vertx vertx;
  private final PipelineConfig cfg;
  private final JobStore store;
  private final JobStream stream;
  private final ShardRotation shards;
  private final String consumer;
  private boolean stopping;
  private long wakeTimer = -1;
  private long pruneTimer = -1;
  private long sweepTimer = -1;

  /** Dates the dead-letter retention cut (the sweep itself runs on a real timer). */
  private final Clock clock;

  StreamUpkeep(Vertx vertx, PipelineConfig cfg, JobStore store, JobStream stream, ShardRotation shards, String consumer,
      Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.cfg = cfg;
    this.store = store;
    this.stream = stream;
    this.shards = shards;
    this.consumer = consumer;
  }

  /** Sets the timers (on the caller's context). */
  void start() {
    wakeTimer = vertx.setPeriodic(cfg.wakeIntervalMs(), t -> wake());
    pruneTimer = vertx.setPeriodic(cfg.pruneIntervalMs(), t -> prune());
    sweepTimer = vertx.setPeriodic(cfg.deadLetterSweepMs(), t -> sweepDeadLetters());
  }

  void stop() {
    stopping = true;
    vertx.cancelTimer(wakeTimer);
    vertx.cancelTimer(pruneTimer);
    vertx.cancelTimer(sweepTimer);
  }

  private void wake() {
    if (stopping) {
      return;
    }
    for (Shard shard : shards.all()) {
      wake(shard);
    }
    shards.dropLegacyWhenDrained();
  }

  private void wake(Shard shard) {
    store.wakeDue(shard, 500).onComplete(ar -> {
      if (ar.failed()) {
        LOG.warn("waking parked jobs failed ({})", JobStream.describe(ar.cause()));
      } else if (ar.result() >= 500 && !stopping) {
        wake(shard);
      }
    });
  }

  /** Removes consumers whose worker is gone: idle past {@code consumerIdleMs}, holding nothing. */
  private void prune() {
    if (stopping) {
      return;
    }
    for (Shard shard : shards.all()) {
      stream.pruneConsumers(shard, consumer, cfg.consumerIdleMs()).onComplete(ar -> {
        if (ar.succeeded() && ar.result() > 0) {
          LOG.info("removed {} consumers of {} idle for more than {} s with nothing pending", ar.result(),
              shard.stream(), cfg.consumerIdleMs() / 1000);
        } else if (ar.failed() && !JobStream.lostGroup(ar.cause())) {
          LOG.warn("removing idle consumers failed ({})", JobStream.describe(ar.cause()));
        }
      });
    }
  }

  /** Removes dead letters past their retention with the sealed data they hold (SPEC §9). */
  private void sweepDeadLetters() {
    if (stopping) {
      return;
    }
    for (Shard shard : shards.all()) {
      stream.trimDeadLetters(shard, clock.millis() - cfg.deadLetterRetentionMs()).onComplete(ar -> {
        if (ar.succeeded() && ar.result() > 0) {
          LOG.info("removed {} dead letters of {} older than {} s", ar.result(), shard.deadLetters(),
              cfg.deadLetterRetentionMs() / 1000);
        } else if (ar.failed()) {
          LOG.warn("removing expired dead letters failed ({})", JobStream.describe(ar.cause()));
        }
      });
    }
  }
}
