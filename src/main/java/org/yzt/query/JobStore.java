package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.AppContext;
import org.yzt.common.RedisKeys;
import org.yzt.common.RedisScript;

/**
 * The pipeline's Redis operations: the job stream and its consumer group, the job hash and the
 * set of parked jobs. Every write that moves a job is one Lua script, so it happens entirely or
 * not at all, and it is conditional on the job's state, so repeating it changes nothing.
 *
 * <p>Job hash fields written here, besides the front door's {@code st ca ua dl pd rid}:
 * {@code cv} carrier verdict; {@code e:<enterpriseId>} an enterprise's answer (encrypted counts,
 * or {@code !<code>} when it failed for this query); {@code ra} retry attempts of the current
 * stage (kept while parked); {@code tr} reclaims; {@code why} why a job FAILED. {@code pd},
 * {@code cv}, {@code e:*}, {@code ra}, {@code tr} are dropped when the job finishes.
 */
public final class JobStore {
  /** Parked jobs, scored by the time (epoch ms) they are due again. */
  public static final String DELAYED = "yzt:jobs:delayed";

  /** One stream entry: its id and the query it names (null when the entry is malformed). */
  public record Entry(String id, String queryId) {}

  /** A page of XAUTOCLAIM: the entries now ours, and the cursor for the next call. */
  public record Claimed(String cursor, List<Entry> entries) {}

  private final AppContext ctx;
  private final Redis redis;
  private final long timeoutMs;
  private final RedisScript load;
  private final RedisScript advance;
  private final RedisScript park;
  private final RedisScript wake;

  private final PipelinedRedis jobWrites;

  /** Blocking and periodic commands use the shared pool; job reads and writes go pipelined on one connection. */
  public JobStore(AppContext ctx) {
    this.ctx = ctx;
    this.redis = ctx.redis;
    this.timeoutMs = ctx.redisTimeoutMs();
    this.jobWrites = new PipelinedRedis(ctx.redis, timeoutMs);
    // PipelinedRedis bounds every command by timeoutMs itself (0: no second timer)
    this.load = RedisScript.load(jobWrites, 0, "job_load");
    this.advance = RedisScript.load(jobWrites, 0, "job_advance");
    this.park = RedisScript.load(jobWrites, 0, "job_park");
    this.wake = RedisScript.load(redis, timeoutMs, "jobs_wake");
  }

  public Future<Void> close() {
    return jobWrites.close();
  }

  public Future<Void> preload() {
    return Future.all(load.preload(), advance.preload(), park.preload(), wake.preload()).mapEmpty();
  }

  /** Creates the consumer group (and the stream) when missing; BUSYGROUP means it exists. */
  public Future<Void> ensureGroup() {
    return send(Request.cmd(Command.XGROUP).arg("CREATE").arg(RedisKeys.JOB_STREAM).arg(RedisKeys.JOB_GROUP)
        .arg("0").arg("MKSTREAM"))
        .<Void>mapEmpty()
        .recover(err -> err.getMessage() != null && err.getMessage().startsWith("BUSYGROUP")
            ? Future.succeededFuture() : Future.failedFuture(err));
  }

  /** New entries for {@code consumer}, waiting up to {@code blockMs} for some. */
  public Future<List<Entry>> read(String consumer, int count, long blockMs) {
    Request req = Request.cmd(Command.XREADGROUP).arg("GROUP").arg(RedisKeys.JOB_GROUP).arg(consumer)
        .arg("COUNT").arg(count).arg("BLOCK").arg(blockMs).arg("STREAMS").arg(RedisKeys.JOB_STREAM).arg(">");
    return redis.send(req).timeout(blockMs + timeoutMs, TimeUnit.MILLISECONDS).map(res -> {
      List<Entry> out = new ArrayList<>();
      if (res == null) {
        return out;
      }
      Response entries;
      if (res.isMap()) {
        entries = res.get(RedisKeys.JOB_STREAM);
      } else {
        entries = res.size() > 0 ? res.get(0).get(1) : null;
      }
      if (entries != null) {
        for (Response e : entries) {
          out.add(entry(e));
        }
      }
      return out;
    });
  }

  /** Takes over entries idle longer than {@code minIdleMs} (their worker died or failed). */
  public Future<Claimed> autoclaim(String consumer, long minIdleMs, String cursor, int count) {
    Request req = Request.cmd(Command.XAUTOCLAIM).arg(RedisKeys.JOB_STREAM).arg(RedisKeys.JOB_GROUP).arg(consumer)
        .arg(minIdleMs).arg(cursor).arg("COUNT").arg(count);
    return send(req).map(res -> {
      List<Entry> out = new ArrayList<>();
      Response entries = res.get(1);
      if (entries != null) {
        for (Response e : entries) {
          if (e != null && e.size() >= 2) {
            out.add(entry(e));
          }
        }
      }
      // ids of entries deleted meanwhile (res[2]) are dropped from the PEL by Redis itself
      return new Claimed(res.get(0).toString(), out);
    });
  }

  /** Resets the idle time of entries this worker is still working on, so nobody reclaims them. */
  public Future<Void> heartbeat(String consumer, List<String> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture();
    }
    Request req = Request.cmd(Command.XCLAIM).arg(RedisKeys.JOB_STREAM).arg(RedisKeys.JOB_GROUP).arg(consumer).arg(0);
    for (String id : ids) {
      req.arg(id);
    }
    req.arg("JUSTID");
    return send(req).mapEmpty();
  }

  /**
   * Picks up a job: null when it no longer exists, a {@link Job#dead} job when it went to the
   * dead-letter stream, else the job (moved from ACCEPTED to VERIFYING).
   */
  public Future<Job> load(Entry entry, boolean reclaimed, int maxDeliveries) {
    return load.run(
        List.of(ctx.keys.job(entry.queryId()), RedisKeys.JOB_STREAM, RedisKeys.DEAD_LETTER_STREAM),
        List.of(RedisKeys.JOB_GROUP, entry.id(), now(), reclaimed ? "1" : "0", Integer.toString(maxDeliveries),
            entry.queryId()))
        .map(res -> {
          if (res == null) {
            return null;
          }
          if (res.type() != io.vertx.redis.client.ResponseType.MULTI) {
            String s = res.toString();
            return Job.dead(entry, s.startsWith("DEAD:") ? s.substring(5) : "");
          }
          java.util.Map<String, String> fields = new java.util.HashMap<>();
          if (res.isMap()) {
            for (String k : res.getKeys()) {
              fields.put(k, res.get(k).toString());
            }
          } else {
            for (int i = 0; i + 1 < res.size(); i += 2) {
              fields.put(res.get(i).toString(), res.get(i + 1).toString());
            }
          }
          return new Job(entry, fields);
        });
  }

  /**
   * Sets {@code fieldsAndValues} and moves the job to {@code newState} (or leaves it, when empty) if
   * it is in one of {@code expected}; acknowledges the entry when {@code finish}, dropping the
   * personal data. Answers the state afterwards, null when the job is gone.
   */
  public Future<String> advance(Entry entry, List<String> expected, String newState, boolean finish,
      String... fieldsAndValues) {
    List<String> args = new ArrayList<>(8 + fieldsAndValues.length);
    args.add(RedisKeys.JOB_GROUP);
    args.add("," + String.join(",", expected) + ",");
    args.add(newState == null ? "" : newState);
    args.add(now());
    args.add(finish ? entry.id() : "");
    args.add(finish ? "1" : "0");
    args.addAll(List.of(fieldsAndValues));
    return advance.run(List.of(ctx.keys.job(entry.queryId()), RedisKeys.JOB_STREAM), args)
        .map(res -> res == null ? null : res.toString());
  }

  /** Acknowledges and deletes an entry whose job needs nothing more (or no longer exists). */
  public Future<Void> ack(Entry entry) {
    return advance(entry, List.of(), null, true).mapEmpty();
  }

  /** Leaves the stream and waits in the delayed set until {@code wakeAtMs}. */
  public Future<Void> park(Entry entry, long wakeAtMs, int attempts) {
    return park.run(List.of(ctx.keys.job(entry.queryId()), RedisKeys.JOB_STREAM, DELAYED),
        List.of(RedisKeys.JOB_GROUP, entry.id(), entry.queryId(), Long.toString(wakeAtMs), Integer.toString(attempts)))
        .mapEmpty();
  }

  /** Puts up to {@code max} parked jobs that are due back on the stream; answers how many. */
  public Future<Integer> wakeDue(int max) {
    return wake.run(List.of(DELAYED, RedisKeys.JOB_STREAM), List.of(now(), Integer.toString(max)))
        .map(r -> r == null ? 0 : r.toInteger());
  }

  private Future<Response> send(Request req) {
    return redis.send(req).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  private static Entry entry(Response e) {
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
    return new Entry(id, q);
  }

  private static String now() {
    return Long.toString(System.currentTimeMillis());
  }
}
