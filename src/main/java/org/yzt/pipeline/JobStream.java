package org.yzt.pipeline;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.store.RedisKeys;
import org.yzt.store.RedisScript;
import org.yzt.store.Shard;
import org.yzt.runtime.AppContext;

/**
 * The stream mechanics of the job streams (one per {@link Shard}, {@code yzt:jobs:{tag}}, and
 * {@code yzt:jobs} of the layout before sharding while it drains) and their consumer group
 * {@code pipeline}: creating them, reading new entries, refreshing and reclaiming pending ones,
 * removing consumers that are gone. Every command names one stream (one slot on a Redis Cluster).
 * Nothing here knows what a job is. Blocking and periodic commands use the shared
 * pooled client, so a lost connection is replaced by the pool.
 */
final class JobStream {
  /** A page of XAUTOCLAIM: the entries now ours, and the cursor for the next call. */
  record Claimed(String cursor, List<JobStore.Entry> entries) {}

  private final Redis redis;
  private final long timeoutMs;
  private final RedisScript prune;
  private final RedisScript drained;

  JobStream(AppContext ctx) {
    this.redis = ctx.redis;
    this.timeoutMs = ctx.redisTimeoutMs();
    this.prune = RedisScript.load(redis, timeoutMs, "consumers_prune");
    this.drained = RedisScript.load(redis, timeoutMs, "legacy_drained");
  }

  /** Loads the upkeep's scripts ahead of their first run. */
  Future<Void> warm() {
    return Future.all(prune.warm(), drained.warm()).mapEmpty();
  }

  /** True for the answer of a command on a stream or group that no longer exists (Redis lost its data). */
  static boolean lostGroup(Throwable err) {
    return err != null && err.getMessage() != null && err.getMessage().startsWith("NOGROUP");
  }

  /** A failure as a log line should name it: the Redis answer or the message, not the exception class. */
  static String describe(Throwable err) {
    String m = err.getMessage();
    return m == null || m.isBlank() ? err.getClass().getSimpleName() : m;
  }

  /**
   * Creates the consumer group (and the stream) when missing, from the start of the stream so an
   * entry added before it (a query accepted just after Redis lost its data) is read too; BUSYGROUP
   * means it exists.
   */
  Future<Void> ensureGroup(Shard shard) {
    return ensureGroup(shard, timeoutMs);
  }

  /** As {@link #ensureGroup(Shard)}, answered within {@code withinMs} (a start-up check's own deadline). */
  Future<Void> ensureGroup(Shard shard, long withinMs) {
    return redis.send(Request.cmd(Command.XGROUP).arg("CREATE").arg(shard.stream()).arg(RedisKeys.JOB_GROUP)
        .arg("0").arg("MKSTREAM")).timeout(withinMs, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("BUSYGROUP")
            ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** New entries of one shard for {@code consumer}, waiting up to {@code blockMs} for some (0: not at all). */
  Future<List<JobStore.Entry>> read(Shard shard, String consumer, int count, long blockMs) {
    Request req = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.JOB_GROUP).arg(consumer)
        .arg("COUNT").arg(count);
    if (blockMs > 0) {
      req.arg("BLOCK").arg(blockMs);
    }
    req.arg("STREAMS").arg(shard.stream()).arg(">");
    return redis.send(req).timeout(blockMs + timeoutMs, TimeUnit.MILLISECONDS).map(res -> {
      List<JobStore.Entry> out = new ArrayList<>();
      if (res == null) {
        return out;
      }
      Response entries = res.isMap() ? res.get(shard.stream()) : res.size() > 0 ? res.get(0).get(1) : null;
      if (entries != null) {
        for (Response e : entries) {
          out.add(entry(shard, e));
        }
      }
      return out;
    });
  }

  /**
   * New entries of every shard in one command, waiting up to {@code blockMs} for the first (at most
   * {@code count} per shard): an idle worker's read on standalone and Sentinel, where one Redis holds
   * every stream (on a Redis Cluster the streams are in different slots: one read per shard).
   */
  Future<List<JobStore.Entry>> readAll(List<Shard> shards, String consumer, int count, long blockMs) {
    Request req = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.JOB_GROUP).arg(consumer)
        .arg("COUNT").arg(count).arg("BLOCK").arg(blockMs).arg("STREAMS");
    for (Shard shard : shards) {
      req.arg(shard.stream());
    }
    for (int i = 0; i < shards.size(); i++) {
      req.arg(">");
    }
    return redis.send(req).timeout(blockMs + timeoutMs, TimeUnit.MILLISECONDS).map(res -> {
      List<JobStore.Entry> out = new ArrayList<>();
      if (res == null) {
        return out;
      }
      for (Shard shard : shards) {
        Response entries = null;
        if (res.isMap()) {
          entries = res.get(shard.stream());
        } else {
          for (Response s : res) {
            if (shard.stream().equals(s.get(0).toString())) {
              entries = s.get(1);
            }
          }
        }
        if (entries != null) {
          for (Response e : entries) {
            out.add(entry(shard, e));
          }
        }
      }
      return out;
    });
  }

  /** Takes over entries idle longer than {@code minIdleMs} (their worker died or failed). */
  Future<Claimed> autoclaim(Shard shard, String consumer, long minIdleMs, String cursor, int count) {
    Request req = Request.cmd(Command.XAUTOCLAIM).arg(shard.stream()).arg(RedisKeys.JOB_GROUP).arg(consumer)
        .arg(minIdleMs).arg(cursor).arg("COUNT").arg(count);
    return send(req).map(res -> {
      List<JobStore.Entry> out = new ArrayList<>();
      Response entries = res.get(1);
      if (entries != null) {
        for (Response e : entries) {
          if (e != null && e.size() >= 2) {
            out.add(entry(shard, e));
          }
        }
      }
      // ids of entries deleted meanwhile (res[2]) are dropped from the PEL by Redis itself
      return new Claimed(res.get(0).toString(), out);
    });
  }

  /** Resets the idle time of entries this worker is still working on, so nobody reclaims them. */
  Future<Void> heartbeat(Shard shard, String consumer, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    Request req = Request.cmd(Command.XCLAIM).arg(shard.stream()).arg(RedisKeys.JOB_GROUP).arg(consumer).arg(0);
    for (String id : ids) {
      req.arg(id);
    }
    req.arg("JUSTID");
    return send(req).mapEmpty();
  }

  /** Removes consumers other than {@code self} idle longer than {@code idleMs} with nothing pending; answers how many. */
  Future<Integer> pruneConsumers(Shard shard, String self, long idleMs) {
    return prune.run(List.of(shard.stream()), List.of(RedisKeys.JOB_GROUP, Long.toString(idleMs), self))
        .map(r -> r == null ? 0 : r.toInteger());
  }

  /**
   * Removes a shard's dead letters written before {@code olderThanMs} (stream ids are milliseconds), with
   * the sealed personal data they keep for a redrive (SPEC §9); answers how many went.
   */
  Future<Long> trimDeadLetters(Shard shard, long olderThanMs) {
    return send(Request.cmd(Command.XTRIM).arg(shard.deadLetters()).arg("MINID").arg(Math.max(0, olderThanMs)))
        .map(r -> r == null ? 0L : r.toLong());
  }

  private Future<Response> send(Request req) {
    return redis.send(req).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Whether the stream of the layout before sharding still holds anything (entries, read or not, or
   * parked jobs): a node reads it until it is drained, then deletes it (only when empty, atomically).
   */
  Future<Boolean> legacyDrained() {
    return drained.run(List.of(Shard.LEGACY.stream(), Shard.LEGACY.delayed()), List.of()).map(r -> r.toLong() == 1);
  }

  private static JobStore.Entry entry(Shard shard, Response e) {
    String id = e.get(0).toString();
    Response fields = e.get(1);
    String q = null;
    if (fields != null) {
      if (fields.isMap()) {
        Response v = fields.get("q");
        q = v == null ? null : v.toString();
      } else {
        for (int i = 0; i + 1 < fields.size(); i += 2) {
          if ("q".equals(fields.get(i).toString())) {
            q = fields.get(i + 1).toString();
          }
        }
      }
    }
    return new JobStore.Entry(shard, id, q);
  }
}
