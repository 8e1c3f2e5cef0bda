package org.yzt.runtime;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.store.HashSlots;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.runtime.AppContext;

/**
 * {@code pipeline.streamShards} is fixed for the life of a deployment (SPEC §11): the count the jobs
 * in Redis were written under is kept in {@link RedisKeys#SHARD_COUNT}, and a node configured with
 * another count refuses to start while any shard of that count still holds a job (a stream entry or
 * a parked job), since its numbers' keys and jobs would be looked for in other slots. With nothing
 * left under the old count, the new one is written and the node starts.
 */
public final class ShardLayout {
  /** The refusal: one line, naming both counts. */
  static final class Mismatch extends RuntimeException {
    Mismatch(int held, int configured) {
      super("Redis holds jobs under pipeline.streamShards " + held + " but this node is configured with " + configured
          + "; the shard count is fixed for a deployment: set it back to " + held, null, false, false);
    }
  }

  private final Redis redis;
  private final long timeoutMs;

  ShardLayout(Redis redis, long timeoutMs) {
    this.redis = redis;
    this.timeoutMs = timeoutMs;
  }

  /** {@link #check} once per process (every pipeline and query instance waits for the same answer). */
  public static Future<Void> checkOnce(AppContext ctx) {
    return ctx.shared(Once.class, () -> new Once(new ShardLayout(ctx.redis, ctx.startupRedisTimeoutMs())
        .check(ctx.keys.shardCount()))).checked();
  }

  private record Once(Future<Void> checked) {}

  /** Succeeds when Redis holds no job under another count than {@code configured} (and then records it). */
  Future<Void> check(int configured) {
    return send(Request.cmd(Command.GET).arg(RedisKeys.SHARD_COUNT)).compose(r -> {
      int held = r == null ? 0 : parse(r.toString());
      if (held == configured) {
        return Future.succeededFuture();
      }
      Future<Boolean> empty = held <= 0 ? Future.succeededFuture(true) : holdsNothing(held);
      return empty.compose(nothing -> nothing
          ? send(Request.cmd(Command.SET).arg(RedisKeys.SHARD_COUNT).arg(configured)).mapEmpty()
          : Future.failedFuture(new Mismatch(held, configured)));
    });
  }

  private Future<Boolean> holdsNothing(int count) {
    String[] tags;
    try {
      tags = HashSlots.shardTags(count);
    } catch (IllegalArgumentException e) {
      return Future.succeededFuture(true); // not a count we could have written
    }
    List<Future<Response>> sizes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Shard s = new Shard(i, tags[i]);
      sizes.add(send(Request.cmd(Command.XLEN).arg(s.stream())));
      sizes.add(send(Request.cmd(Command.ZCARD).arg(s.delayed())));
    }
    return Future.all(sizes).map(all -> sizes.stream().allMatch(f -> f.result() == null || f.result().toLong() == 0));
  }

  private static int parse(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private Future<Response> send(Request req) {
    return redis.send(req).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }
}
