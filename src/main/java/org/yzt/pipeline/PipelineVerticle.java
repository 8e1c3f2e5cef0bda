package org.yzt.pipeline;

import org.yzt.config.RedisConfig;
import org.yzt.runtime.ShardLayout;
import io.micrometer.core.instrument.Gauge;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.Ids;
import org.yzt.store.Shard;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.runtime.AppContext;

/**
 * The job runner of SPEC §3: a consumer of every job stream (one per shard, SPEC §11; and the
 * stream of the layout before sharding until it is drained) in the group {@code pipeline}, under a
 * name unique to this process and instance.
 *
 * <ul>
 *   <li>refuses to start when Redis holds jobs under another {@code pipeline.streamShards};</li>
 *   <li>reads new entries in batches, one shard after the other in turn, so a busy shard does not
 *       starve the others (a round with nothing new ends with a short XREADGROUP … BLOCK), never
 *       more than {@code maxInFlight} jobs at once, and picks up their jobs in the same round trip
 *       ({@link JobIntake});</li>
 *   <li>refreshes the entries it works on (XCLAIM … JUSTID every third of {@code claimIdleMs}), and
 *       takes over entries idle for longer than {@code claimIdleMs} — their worker died or failed
 *       (XAUTOCLAIM);</li>
 *   <li>acknowledges and deletes an entry only when its job is finished, parked or gone; a job
 *       reclaimed more than {@code maxDeliveries} times without progress goes to {@code yzt:jobs:dead}
 *       (metric {@code yzt_pipeline_dead_letters_total});</li>
 *   <li>recreates the stream and the group when Redis lost them (NOGROUP: a restart without
 *       persistence, a failover to an empty replica, a flush), at once, and goes on;</li>
 *   <li>removes consumers idle longer than {@code consumerIdleMs} with nothing pending (every
 *       {@code pruneIntervalMs});</li>
 *   <li>puts parked jobs that are due back on the stream;</li>
 *   <li>removes dead letters older than {@code deadLetterRetentionMs} (every {@code deadLetterSweepMs}),
 *       so their sealed personal data expires on a quiet system too (SPEC §9);</li>
 *   <li>on stop, hands the jobs it holds back (parked, due now), so another worker resumes them
 *       without waiting for the idle time.</li>
 * </ul>
 */
public final class PipelineVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineVerticle.class);
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  /** Gauges shared by the instances of one process. */
  static final class Shared {
    final AtomicLong inFlight = new AtomicLong();
  }

  private final AppContext ctx;
  private PipelineConfig cfg;
  private JobStore store;
  private JobStream stream;
  private JobIntake intake;
  private JobDispatcher runner;
  private String consumer;
  private Shared shared;
  /** The entries held, by {@link #held} (an entry id is unique in its stream only). */
  private final Map<String, JobStore.Entry> entries = new ConcurrentHashMap<>();
  private int inFlight;
  private boolean stopping;
  private boolean reading;
  private ShardRotation shards;
  private long heartbeatTimer = -1;
  private long claimTimer = -1;
  private StreamUpkeep upkeep;
  private GroupRecreation groups;
  /** Standalone and Sentinel: an idle worker reads every shard in one command ({@link #readAllShards}). */
  private boolean readAllWhenIdle;

  public PipelineVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  /** {@code <host>-<pid>-<n>-<random>}: unique per process and instance, readable in XINFO CONSUMERS. */
  static String consumerName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      host = "host";
    }
    String pid = Long.toString(ProcessHandle.current().pid());
    return host + "-" + pid + "-" + INSTANCES.incrementAndGet() + "-" + Ids.hex(2);
  }

  @Override
  public Future<?> start() {
    cfg = PipelineConfig.from(ctx.section("pipeline"));
    readAllWhenIdle = RedisConfig.from(ctx.config).type() != RedisConfig.Type.CLUSTER;
    List<EnterpriseConfig> enterprises = EnterpriseConfig.all(ctx.config);
    store = new JobStore(ctx);
    stream = new JobStream(ctx);
    runner = new JobDispatcher(ctx, vertx, store, cfg, enterprises);
    consumer = consumerName();
    intake = new JobIntake(stream, store, consumer);
    shared = ctx.shared(Shared.class, () -> {
      Shared s = new Shared();
      Gauge.builder("yzt.pipeline.jobs.in.flight", s.inFlight, AtomicLong::get)
          .description("jobs the workers of this process are working on").register(ctx.metrics);
      return s;
    });
    // one poller of the stream backlog per process, whatever the instance count
    ctx.shared(StreamGauges.class, () -> new StreamGauges(ctx).start(vertx));
    return ShardLayout.checkOnce(ctx)
        .compose(v -> ShardRotation.start(ctx, stream, Math.min(cfg.blockMs(), IDLE_BLOCK_MS)))
        .compose(rotation -> {
          shards = rotation;
          groups = new GroupRecreation(stream, rotation);
          upkeep = new StreamUpkeep(vertx, cfg, store, stream, rotation, consumer, ctx.clock);
          List<Future<Void>> created = new ArrayList<>();
          for (Shard sh : rotation.all()) {
            created.add(stream.ensureGroup(sh, ctx.startupRedisTimeoutMs()));
          }
          return Future.all(created);
        })
        .compose(v -> Future.all(store.preload(), stream.warm())).onSuccess(v -> {
      LOG.info("pipeline worker {} reading {} job streams{} (max {} jobs in flight)", consumer, ctx.keys.shardCount(),
          shards.all().contains(Shard.LEGACY) ? " and the stream of the layout before sharding" : "", cfg.maxInFlight());
      heartbeatTimer = vertx.setPeriodic(Math.max(50, cfg.claimIdleMs() / 3), t -> heartbeat());
      claimTimer = vertx.setPeriodic(Math.max(50, cfg.claimIdleMs() / 2), t -> reclaim());
      upkeep.start();
      readMore();
    });
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(heartbeatTimer);
    vertx.cancelTimer(claimTimer);
    if (upkeep != null) {
      upkeep.stop();
    }
    // what the passes hold back first (pipeline.stepLingerMs): the worker that resumes a job goes on from there
    Future<Void> held = runner == null ? Future.succeededFuture()
        : runner.flushHeld().timeout(1, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
    return held.compose(h -> {
      List<Future<Void>> handoffs = new ArrayList<>();
      long now = ctx.clock.millis();
      for (JobStore.Entry e : entries.values()) {
        handoffs.add(store.park(e, now, 0));
      }
      if (!handoffs.isEmpty()) {
        LOG.info("pipeline worker {} stopping: handing {} jobs back", consumer, handoffs.size());
      }
      return Future.join(handoffs).timeout(2, TimeUnit.SECONDS).recover(err -> Future.succeededFuture());
    }).compose(v -> store.close()).recover(err -> Future.succeededFuture());
  }

  /** How long a read waits when a whole round of the shards found nothing new. */
  static final long IDLE_BLOCK_MS = 100;

  private void readMore() {
    if (stopping || reading) {
      return;
    }
    int free = cfg.maxInFlight() - inFlight;
    if (free <= 0) {
      return; // a finishing job calls readMore again
    }
    reading = true;
    if (readAllWhenIdle && inFlight == 0 && shards.idle()) {
      readAllShards(free);
      return;
    }
    Shard shard = shards.next();
    intake.read(shard, Math.min(free, cfg.batchSize()), shards.blockMs()).onComplete(ar -> afterRead(ar,
        () -> groups.recreate(shard).onComplete(r -> vertx.setTimer(r.succeeded() ? 1 : 500, t -> readMore()))));
  }

  /** A read's entries begun, or its failure handled: a lost group by {@code onLostGroup}, else a retry. */
  private void afterRead(AsyncResult<List<JobStore.Taken>> ar, Runnable onLostGroup) {
    reading = false;
    if (stopping) {
      return;
    }
    if (ar.failed()) {
      if (JobStream.lostGroup(ar.cause())) {
        onLostGroup.run();
        return;
      }
      LOG.warn("reading the job stream failed ({}); retrying", JobStream.describe(ar.cause()));
      vertx.setTimer(500, t -> readMore());
      return;
    }
    shards.read(ar.result().size());
    for (JobStore.Taken t : ar.result()) {
      begin(t.entry(), () -> runner.run(t));
    }
    readMore();
  }

  /**
   * Standalone and Sentinel, idle (no job in flight, a whole turn found nothing): every shard in one
   * blocking read rather than one blocking read per shard in turn, the bulk of an idle worker's Redis
   * work (bench/README.md, issue 23); the first entry on any shard wakes it at once. It takes at most
   * {@code free} entries (a share per shard), and once one came the worker reads shard by shard again,
   * fairly. A worker with jobs in flight keeps the turn shard by shard: with the read across every
   * shard there too, flow.sh's pipeline drained at a half or less of the rate (bench/README.md).
   */
  private void readAllShards(int free) {
    List<Shard> all = shards.all();
    int count = Math.max(1, Math.min(cfg.batchSize(), free / all.size()));
    // the answer to a read across every shard does not say which stream lost its group: a turn shard by
    // shard finds it and recreates it
    intake.readAll(all, count, shards.idleBlockMs()).onComplete(ar -> afterRead(ar, () -> {
      shards.wake();
      vertx.setTimer(1, t -> readMore());
    }));
  }

  private static String held(JobStore.Entry e) {
    return e.shard().index() + "/" + e.id();
  }

  private void begin(JobStore.Entry e, Supplier<Future<JobDispatcher.Outcome>> run) {
    if (entries.putIfAbsent(held(e), e) != null) {
      return; // already working on it
    }
    inFlight++;
    shared.inFlight.incrementAndGet();
    // through compose: a runner that throws fails its future rather than keep the slot taken
    Future.<Void>succeededFuture().compose(v -> run.get()).onComplete(ar -> {
      entries.remove(held(e));
      inFlight--;
      shared.inFlight.decrementAndGet();
      // a failed job is not acknowledged: after claimIdleMs a worker (maybe this one) reclaims and
      // resumes it; JobDispatcher has logged it with its request id
      if (ar.failed()) {
        runner.metrics().stopped();
      }
      readMore();
    });
  }

  private void heartbeat() {
    if (entries.isEmpty()) {
      return;
    }
    Map<Shard, List<String>> byShard = new HashMap<>();
    for (JobStore.Entry e : entries.values()) {
      byShard.computeIfAbsent(e.shard(), k -> new ArrayList<>()).add(e.id());
    }
    byShard.forEach((shard, ids) -> {
      for (int i = 0; i < ids.size(); i += 200) {
        stream.heartbeat(shard, consumer, ids.subList(i, Math.min(ids.size(), i + 200)))
            .onFailure(err -> LOG.warn("refreshing held jobs failed ({})", JobStream.describe(err)));
      }
    });
  }

  /** Takes over idle entries, one shard after the other, while this worker has room. */
  private void reclaim() {
    reclaimFrom(shards.all(), 0);
  }

  private void reclaimFrom(List<Shard> all, int i) {
    int free = cfg.maxInFlight() - inFlight;
    if (stopping || free <= 0 || i >= all.size()) {
      return;
    }
    Shard shard = all.get(i);
    stream.autoclaim(shard, consumer, cfg.claimIdleMs(), shards.claimCursor(shard), Math.min(free, cfg.batchSize()))
        .onComplete(ar -> {
          if (ar.failed()) {
            if (JobStream.lostGroup(ar.cause())) {
              shards.claimCursor(shard, "0-0");
              groups.recreate(shard);
            } else {
              LOG.warn("reclaiming idle jobs failed ({})", JobStream.describe(ar.cause()));
            }
          } else {
            shards.claimCursor(shard, ar.result().cursor());
            for (JobStore.Entry e : ar.result().entries()) {
              if (!entries.containsKey(held(e))) {
                runner.metrics().reclaimed();
                begin(e, () -> runner.run(e, true)); // JobDispatcher logs the resumption with the job's request id
              }
            }
          }
          reclaimFrom(all, i + 1);
        });
  }
}
