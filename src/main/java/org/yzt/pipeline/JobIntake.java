package org.yzt.pipeline;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.pipeline.JobStore.Entry;
import org.yzt.pipeline.JobStore.Taken;
import org.yzt.store.Shard;

/**
 * A worker's reads of the job streams with the pick-up of the jobs they deliver, in as few round trips as
 * it can (issue 23: round trips are most of the pipeline's Redis CPU). A read that does not wait (a busy
 * worker's) is one script that reads a shard and picks up its jobs ({@code jobs_take.lua}); the entries of
 * a blocking read (an idle worker's: a script cannot block) are picked up by one script per shard, not
 * one per job. The stream of the layout before sharding keeps a read and a pick-up per job: its job
 * records have no hash tag. An entry whose pick-up failed goes to the worker not picked up, and the runner
 * loads it itself (and leaves it to be resumed when that fails too).
 */
final class JobIntake {
  private static final Logger LOG = LoggerFactory.getLogger(JobIntake.class);

  private final JobStream stream;
  private final JobStore store;
  private final String consumer;

  JobIntake(JobStream stream, JobStore store, String consumer) {
    this.stream = stream;
    this.store = store;
    this.consumer = consumer;
  }

  /** New entries of one shard, waiting up to {@code blockMs} for some (0: not at all), their jobs picked up. */
  Future<List<Taken>> read(Shard shard, int count, long blockMs) {
    if (shard.legacy()) {
      return stream.read(shard, consumer, count, blockMs).map(JobIntake::unpicked);
    }
    if (blockMs <= 0) {
      return store.take(shard, consumer, count, List.of());
    }
    return stream.read(shard, consumer, count, blockMs).compose(this::pickUp);
  }

  /** New entries of every shard in one blocking read ({@link JobStream#readAll}), their jobs picked up. */
  Future<List<Taken>> readAll(List<Shard> shards, int count, long blockMs) {
    return stream.readAll(shards, consumer, count, blockMs).compose(this::pickUp);
  }

  /** One script per shard for the jobs of entries already delivered. */
  private Future<List<Taken>> pickUp(List<Entry> delivered) {
    if (delivered.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    Map<Shard, List<Entry>> byShard = new LinkedHashMap<>();
    for (Entry e : delivered) {
      byShard.computeIfAbsent(e.shard(), k -> new ArrayList<>()).add(e);
    }
    List<Future<List<Taken>>> taken = new ArrayList<>();
    byShard.forEach((shard, entries) -> {
      List<Entry> named = entries.stream().filter(e -> e.queryId() != null).toList();
      List<Taken> unnamed = unpicked(entries.stream().filter(e -> e.queryId() == null).toList());
      taken.add(shard.legacy() || named.isEmpty() ? Future.succeededFuture(unpicked(entries))
          : store.take(shard, consumer, 0, named)
              .map(t -> concat(t, unnamed))
              .recover(err -> {
                LOG.warn("picking up {} jobs with their read failed ({}); each is loaded on its own", named.size(),
                    JobStream.describe(err));
                return Future.succeededFuture(unpicked(entries));
              }));
    });
    return Future.all(taken).map(all -> {
      List<Taken> out = new ArrayList<>();
      for (Future<List<Taken>> f : taken) {
        out.addAll(f.result());
      }
      return out;
    });
  }

  private static List<Taken> concat(List<Taken> a, List<Taken> b) {
    List<Taken> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static List<Taken> unpicked(List<Entry> entries) {
    return entries.stream().map(Taken::unpicked).toList();
  }
}
