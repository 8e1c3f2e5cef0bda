package org.yzt.pipeline;

import org.yzt.store.JobFields;
import org.yzt.store.MultiplexedRedis;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yzt.store.RedisKeys;
import org.yzt.store.RedisScript;
import org.yzt.store.Shard;
import org.yzt.runtime.AppContext;

/**
 * The job hash and the set of parked jobs, by named operation (field names in {@link JobFields}).
 * Every write that moves a job is one Lua script, so it happens entirely or not at all, and it is
 * conditional on the job's state, so repeating it changes nothing; each one that applies resets the
 * job's reclaim count. Job reads and writes go on the worker's own {@link MultiplexedRedis}.
 */
public final class JobStore {
  /**
   * One stream entry: the shard whose stream holds it, its id and the query it names (null when the
   * entry is malformed). The job record, the delayed set and the dead-letter stream are the shard's.
   */
  public record Entry(Shard shard, String id, String queryId) {
    String job() {
      return shard.job(queryId);
    }
  }

  private final MultiplexedRedis jobRedis;
  private final RedisScript load;
  private final RedisScript take;
  private final RedisScript advance;
  private final RedisScript park;
  private final RedisScript wake;
  /** The "now" the scripts compare deadlines, wake times and retention with (they take it as an argument, not TIME). */
  private final Clock clock;

  public JobStore(AppContext ctx) {
    this.clock = ctx.clock;
    long timeoutMs = ctx.redisTimeoutMs();
    this.jobRedis = new MultiplexedRedis(ctx.redis, timeoutMs);
    // MultiplexedRedis bounds every command by timeoutMs itself (0: no second timer)
    this.load = RedisScript.load(jobRedis, 0, "lib/job_pickup", "job_load");
    this.take = RedisScript.load(jobRedis, 0, "lib/job_pickup", "jobs_take");
    this.advance = RedisScript.load(jobRedis, 0, "job_advance");
    this.park = RedisScript.load(jobRedis, 0, "job_park");
    this.wake = RedisScript.load(ctx.redis, timeoutMs, "jobs_wake");
  }

  public Future<Void> close() {
    return jobRedis.close();
  }

  /** Loads the scripts now; never fails (NOSCRIPT later loads them, after a restart too). */
  public Future<Void> preload() {
    return Future.join(load.warm(), take.warm(), advance.warm(), park.warm(), wake.warm()).mapEmpty();
  }

  /**
   * Picks up a job: null when it no longer exists, a {@link Job#dead} job when this reclaim sent it
   * to the dead-letter stream (capped at {@code deadLetterMax}), else the job (ACCEPTED moved to VERIFYING).
   */
  public Future<Job> load(Entry entry, boolean reclaimed, int maxDeliveries, int deadLetterMax) {
    return load.run(
        List.of(entry.job(), entry.shard().stream(), entry.shard().deadLetters()),
        List.of(RedisKeys.JOB_GROUP, entry.id(), now(), reclaimed ? "1" : "0", Integer.toString(maxDeliveries),
            entry.queryId(), Integer.toString(deadLetterMax)))
        .map(res -> {
          if (res == null) {
            return null;
          }
          if (res.type() != ResponseType.MULTI) {
            String s = res.toString();
            return Job.dead(entry, s.startsWith("DEAD:") ? s.substring(5) : "");
          }
          return new Job(entry, fields(res));
        });
  }

  /**
   * An entry a read delivered, and its job when the same round trip picked it up ({@code pickedUp}; then a
   * null job: the job no longer exists and the entry is acknowledged); not picked up, the runner loads it.
   */
  record Taken(Entry entry, boolean pickedUp, Job job) {
    static Taken unpicked(Entry entry) {
      return new Taken(entry, false, null);
    }
  }

  /**
   * jobs_take.lua, one round trip: picks up the jobs of {@code delivered} (entries of {@code shard} a
   * blocking read gave {@code consumer}), then reads up to {@code more} new entries of the shard without
   * blocking and picks up theirs (ACCEPTED moved to VERIFYING, as {@link #load} does a new entry's). An
   * entry that names no query comes back not picked up. Not for {@link Shard#LEGACY}: its job records are
   * in other hash slots than its stream.
   */
  Future<List<Taken>> take(Shard shard, String consumer, int more, List<Entry> delivered) {
    List<String> args = new ArrayList<>(5 + 2 * delivered.size());
    args.add(RedisKeys.JOB_GROUP);
    args.add(consumer);
    args.add(Integer.toString(more));
    args.add(now());
    args.add(shard.job(""));
    for (Entry e : delivered) {
      args.add(e.id());
      args.add(e.queryId());
    }
    return take.run(List.of(shard.stream()), args).map(res -> {
      List<Taken> out = new ArrayList<>();
      for (int i = 0; res != null && i + 2 < res.size(); i += 3) {
        Response q = res.get(i + 1);
        Entry entry = new Entry(shard, res.get(i).toString(), q == null ? null : q.toString());
        Response rec = res.get(i + 2);
        out.add(q == null ? Taken.unpicked(entry) : new Taken(entry, true, rec == null ? null : new Job(entry, fields(rec))));
      }
      return out;
    });
  }

  private static Map<String, String> fields(Response res) {
    Map<String, String> fields = new HashMap<>();
    if (res.isMap()) {
      for (String k : res.getKeys()) {
        fields.put(k, res.get(k).toString());
      }
    } else {
      for (int i = 0; i + 1 < res.size(); i += 2) {
        fields.put(res.get(i).toString(), res.get(i + 1).toString());
      }
    }
    return fields;
  }

  /** VERIFYING → {@code next} with the carrier verdict stored; the stage's retries start again. */
  public Future<JobState> recordVerdict(Entry entry, String verdict, JobState next) {
    return advance(entry, List.of(JobState.VERIFYING), next, false,
        JobFields.VERDICT, verdict, JobFields.RETRIES, "0");
  }

  /** What a conditional write did: whether it applied, and the job's state afterwards (null: gone). */
  public record Written(boolean applied, JobState state) {}

  /**
   * Stores enterprise outcomes and what an earlier stage carried ({@code field, value, …}) if the job is in
   * one of {@code expected}, and moves it to {@code to} (null: leaves its state), the new stage's retries
   * starting again.
   */
  public Future<Written> storeAnswers(Entry entry, List<String> fieldsAndValues, List<JobState> expected, JobState to) {
    List<String> fields = new ArrayList<>(fieldsAndValues);
    if (to != null) {
      fields.add(JobFields.RETRIES);
      fields.add("0");
    }
    return write(entry, expected, to, false, fields.toArray(new String[0]));
  }

  /** QUERYING → NOTIFYING: the set of answers is frozen; the stage's retries start again. */
  public Future<JobState> endQuerying(Entry entry) {
    return advance(entry, List.of(JobState.QUERYING), JobState.NOTIFYING, false, JobFields.RETRIES, "0");
  }

  /**
   * {@code from} → {@code to} (DONE or FAILED, with {@code why} when not null): the personal data and
   * answers are dropped and the stream entry acknowledged in the same step.
   */
  public Future<JobState> finish(Entry entry, JobState from, JobState to, String why) {
    return finish(entry, List.of(from), to, why);
  }

  /** {@link #finish(Entry, JobState, JobState, String)} from any of {@code from} (a pass that held writes back). */
  public Future<JobState> finish(Entry entry, List<JobState> from, JobState to, String why) {
    return why == null
        ? advance(entry, from, to, true)
        : advance(entry, from, to, true, JobFields.WHY, why);
  }

  /** Keeps the trace context a redriven job's rerun started, so that its later passes join that trace. */
  public Future<Void> adoptTrace(Entry entry, String traceparent) {
    return jobRedis.send(Request.cmd(Command.HSET).arg(entry.job()).arg(JobFields.TRACE).arg(traceparent))
        .mapEmpty();
  }

  /** Acknowledges and deletes an entry whose job is finished (or no longer exists). */
  public Future<Void> ack(Entry entry) {
    return advance(entry, List.of(JobState.DONE, JobState.FAILED), null, true).mapEmpty();
  }

  /** Leaves the stream and waits in its shard's delayed set until {@code wakeAtMs}. */
  public Future<Void> park(Entry entry, long wakeAtMs, int attempts) {
    return park.run(List.of(entry.job(), entry.shard().stream(), entry.shard().delayed()),
        List.of(RedisKeys.JOB_GROUP, entry.id(), entry.queryId(), Long.toString(wakeAtMs), Integer.toString(attempts)))
        .mapEmpty();
  }

  /** Puts up to {@code max} parked jobs of one shard that are due back on its stream; answers how many. */
  public Future<Integer> wakeDue(Shard shard, int max) {
    return wake.run(List.of(shard.delayed(), shard.stream()), List.of(now(), Integer.toString(max)))
        .map(r -> r == null ? 0 : r.toInteger());
  }

  /**
   * job_advance.lua: sets the fields and moves the job to {@code newState} (or leaves it, when null)
   * if it is in one of {@code expected}; acknowledges the entry when {@code finish}, dropping the
   * personal data. Answers the state afterwards, null when the job is gone.
   */
  private Future<JobState> advance(Entry entry, List<JobState> expected, JobState newState, boolean finish,
      String... fieldsAndValues) {
    return write(entry, expected, newState, finish, fieldsAndValues).map(w -> w == null ? null : w.state());
  }

  private Future<Written> write(Entry entry, List<JobState> expected, JobState newState, boolean finish,
      String... fieldsAndValues) {
    List<String> args = new ArrayList<>(8 + fieldsAndValues.length);
    args.add(RedisKeys.JOB_GROUP);
    StringBuilder states = new StringBuilder(",");
    expected.forEach(s -> states.append(s.name()).append(','));
    args.add(states.toString());
    args.add(newState == null ? "" : newState.name());
    args.add(now());
    args.add(finish ? entry.id() : "");
    args.add(finish ? "1" : "0");
    args.addAll(List.of(fieldsAndValues));
    return advance.run(List.of(entry.job(), entry.shard().stream()), args)
        .map(res -> {
          if (res == null) {
            return null;
          }
          String s = res.toString();
          boolean applied = !s.startsWith("~");
          return new Written(applied, JobState.of(applied ? s : s.substring(1)));
        });
  }

  private String now() {
    return Long.toString(clock.millis());
  }
}
