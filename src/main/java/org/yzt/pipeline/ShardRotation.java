package org.yzt.pipeline;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.store.Shard;
import org.yzt.runtime.AppContext;

/**
 * The job streams one pipeline worker reads, in turn: every shard, and the stream of the layout before
 * sharding while it holds anything (an upgraded deployment's pending and parked jobs finish there; once
 * drained it is deleted and dropped from the turn). One read per shard per turn, each at most a batch,
 * so a busy shard does not starve the others; after a whole turn that found nothing, each read blocks
 * for a share of the idle turn's length. Used from the worker's own context.
 */
final class ShardRotation {
  private static final Logger LOG = LoggerFactory.getLogger(ShardRotation.class);

  private final List<Shard> shards;
  private final JobStream stream;
  private final long idleBlockMs;
  private final Map<Shard, String> claimCursors = new HashMap<>();
  private int next;
  private int emptyReads;
  private boolean checkingLegacy;

  private ShardRotation(List<Shard> shards, JobStream stream, long idleBlockMs) {
    this.shards = shards;
    this.stream = stream;
    this.idleBlockMs = idleBlockMs;
    this.next = ThreadLocalRandom.current().nextInt(shards.size()); // workers start on different shards
  }

  /** Every shard of {@code ctx}'s layout, and the layout before sharding when Redis still holds its stream or parked jobs. */
  static Future<ShardRotation> start(AppContext ctx, JobStream stream, long idleBlockMs) {
    Future<Response> oldStream = exists(ctx, Shard.LEGACY.stream());
    Future<Response> oldParked = exists(ctx, Shard.LEGACY.delayed());
    return Future.all(oldStream, oldParked).map(v -> {
      boolean legacy = oldStream.result().toLong() > 0 || oldParked.result().toLong() > 0;
      if (legacy) {
        LOG.info("the job stream of the layout before sharding ({}) holds jobs: reading it until it is drained",
            Shard.LEGACY.stream());
      }
      return new ShardRotation(ctx.keys.shards(legacy), stream, idleBlockMs);
    });
  }

  private static Future<Response> exists(AppContext ctx, String key) {
    // a start-up check: its own deadline, not one request's (AppContext.startupRedisTimeoutMs)
    return ctx.redis.send(Request.cmd(Command.EXISTS).arg(key)).timeout(ctx.startupRedisTimeoutMs(), TimeUnit.MILLISECONDS);
  }

  /** The shards read now (a copy). */
  List<Shard> all() {
    return new ArrayList<>(shards);
  }

  /** The shard to read next. */
  Shard next() {
    next = next % shards.size();
    return shards.get(next++);
  }

  /**
   * How long the next read may block: only after a whole turn found nothing, and then a share of
   * {@code idleBlockMs} per shard, so an idle turn of them all lasts about that long and a job on any
   * shard waits at most one idle turn.
   */
  long blockMs() {
    return emptyReads >= shards.size() ? Math.max(1, idleBlockMs / shards.size()) : 0;
  }

  /** True after a whole turn found nothing: an idle worker (see {@link #blockMs}). */
  boolean idle() {
    return emptyReads >= shards.size();
  }

  /** How long a read of every shard at once may block when idle: the whole idle turn. */
  long idleBlockMs() {
    return idleBlockMs;
  }

  /** Reads shard by shard again, without blocking, for a whole turn. */
  void wake() {
    emptyReads = 0;
  }

  /** What the last read found. */
  void read(int entries) {
    emptyReads = entries > 0 ? 0 : emptyReads + 1;
  }

  void drop(Shard shard) {
    if (shards.size() > 1 && shards.remove(shard)) {
      claimCursors.remove(shard);
      LOG.info("the job stream {} is drained: no longer read", shard.stream());
    }
  }

  String claimCursor(Shard shard) {
    return claimCursors.getOrDefault(shard, "0-0");
  }

  void claimCursor(Shard shard, String cursor) {
    claimCursors.put(shard, cursor);
  }

  /** Drops the layout before sharding once its stream holds nothing and nothing of it is parked. */
  void dropLegacyWhenDrained() {
    if (checkingLegacy || !shards.contains(Shard.LEGACY)) {
      return;
    }
    checkingLegacy = true;
    stream.legacyDrained().onComplete(ar -> {
      checkingLegacy = false;
      if (ar.succeeded() && ar.result()) {
        drop(Shard.LEGACY);
      }
    });
  }
}
