package org.yzt.pipeline;

import io.micrometer.core.instrument.Gauge;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;
import org.yzt.config.PipelineConfig;
import org.yzt.runtime.AppContext;

/**
 * The backlog of the job stream as gauges, refreshed every {@code pipeline.metricsPollMs} (5000) by
 * one poller per process (started by the first pipeline verticle instance, whatever the instance
 * count): {@code yzt_pipeline_stream_length} (XLEN {@code yzt:jobs}: jobs on the stream, read or
 * not), {@code yzt_pipeline_stream_pending} (XPENDING summary: entries delivered to a worker and not
 * yet acknowledged), {@code yzt_pipeline_jobs_delayed} (parked jobs, ZCARD {@code yzt:jobs:delayed})
 * and {@code yzt_pipeline_dead_letter_length} (XLEN {@code yzt:jobs:dead}). A gauge keeps its last
 * value while Redis does not answer; {@code yzt_pipeline_stream_poll_age_seconds} tells how old it is.
 */
final class StreamGauges {
  private static final Logger LOG = LoggerFactory.getLogger(StreamGauges.class);

  private final AppContext ctx;
  final AtomicLong length = new AtomicLong();
  final AtomicLong pending = new AtomicLong();
  final AtomicLong delayed = new AtomicLong();
  final AtomicLong dead = new AtomicLong();
  private final AtomicLong polledAt = new AtomicLong(System.currentTimeMillis());
  private final AtomicBoolean polling = new AtomicBoolean();
  private long timer = -1;

  StreamGauges(AppContext ctx) {
    this.ctx = ctx;
    gauge("yzt.pipeline.stream.length", length, "jobs on the stream yzt:jobs (XLEN), read or not");
    gauge("yzt.pipeline.stream.pending", pending, "stream entries delivered to a worker and not acknowledged (XPENDING)");
    gauge("yzt.pipeline.jobs.delayed", delayed, "parked jobs waiting for a later retry (yzt:jobs:delayed)");
    gauge("yzt.pipeline.dead.letter.length", dead, "entries in the dead-letter stream yzt:jobs:dead (XLEN)");
    Gauge.builder("yzt.pipeline.stream.poll.age", polledAt, t -> (System.currentTimeMillis() - t.get()) / 1000.0)
        .description("seconds since the stream gauges were last refreshed").baseUnit("seconds").register(ctx.metrics);
  }

  private void gauge(String name, AtomicLong value, String description) {
    Gauge.builder(name, value, AtomicLong::get).description(description).register(ctx.metrics);
  }

  /** Starts the periodic refresh on {@code vertx}'s current context (once). */
  StreamGauges start(Vertx vertx) {
    long every = PipelineConfig.from(ctx.section("pipeline")).metricsPollMs();
    if (timer < 0) {
      timer = vertx.setPeriodic(1, every, t -> poll());
    }
    return this;
  }

  Future<Void> poll() {
    if (!polling.compareAndSet(false, true)) {
      return Future.succeededFuture();
    }
    long timeout = ctx.redisTimeoutMs();
    // summed over the shards (and the stream of the layout before sharding, while it drains)
    List<Future<Response>> xlen = new ArrayList<>();
    List<Future<Response>> xpending = new ArrayList<>();
    List<Future<Response>> zcard = new ArrayList<>();
    List<Future<Response>> deadLen = new ArrayList<>();
    for (Shard s : ctx.keys.shards(true)) {
      xlen.add(send(Request.cmd(Command.XLEN).arg(s.stream()), timeout));
      xpending.add(send(Request.cmd(Command.XPENDING).arg(s.stream()).arg(RedisKeys.JOB_GROUP), timeout));
      zcard.add(send(Request.cmd(Command.ZCARD).arg(s.delayed()), timeout));
      deadLen.add(send(Request.cmd(Command.XLEN).arg(s.deadLetters()), timeout));
    }
    List<Future<Response>> every = new ArrayList<>(xlen);
    every.addAll(xpending);
    every.addAll(zcard);
    every.addAll(deadLen);
    return Future.join(every).<Void>transform(ar -> {
      polling.set(false);
      boolean all = true;
      all &= set(length, xlen, null);
      all &= set(pending, xpending, 0);
      all &= set(delayed, zcard, null);
      all &= set(dead, deadLen, null);
      if (all) {
        polledAt.set(System.currentTimeMillis());
      } else {
        LOG.debug("stream gauges: Redis did not answer every command");
      }
      return Future.succeededFuture();
    });
  }

  private Future<Response> send(Request req, long timeoutMs) {
    return ctx.redis.send(req).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** Sets {@code gauge} to the sum of the commands' answers (their element {@code index} when not null). */
  private static boolean set(AtomicLong gauge, List<Future<Response>> answers, Integer index) {
    long sum = 0;
    for (Future<Response> f : answers) {
      long[] one = new long[1];
      if (!read(one, f, index)) {
        return false;
      }
      sum += one[0];
    }
    gauge.set(sum);
    return true;
  }

  /** One command's answer (its element {@code index} when not null) into {@code out[0]}. */
  private static boolean read(long[] out, Future<Response> f, Integer index) {
    if (f.failed()) {
      // NOGROUP before the first worker created the group: nothing pending
      if (index != null && f.cause().getMessage() != null && f.cause().getMessage().startsWith("NOGROUP")) {
        out[0] = 0;
        return true;
      }
      return false;
    }
    Response r = f.result();
    if (r != null && index != null) {
      r = r.size() > index ? r.get(index) : null;
    }
    out[0] = r == null ? 0 : r.toLong();
    return true;
  }

  void stop(Vertx vertx) {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }
}
