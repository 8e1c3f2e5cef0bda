package org.yzt.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.config.RedisConfig;

/**
 * {@code redis.waitReplicas} (SPEC §11): a write is answered only once that many replicas have it,
 * or after {@code redis.waitTimeoutMs}. WAIT counts the writes of the connection it is sent on, so
 * the write and the WAIT share one borrowed connection. Fewer acknowledgements than asked are
 * counted ({@code yzt_redis_wait_timeouts_total}) and logged, and the write stands; a WAIT that gets
 * no answer at all (the primary went away) fails, since nobody knows whether a replica has the write.
 */
public final class ReplicaWait {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaWait.class);

  private final int replicas;
  private final long waitMs;
  private final long commandTimeoutMs;
  private final Counter timeouts;

  public ReplicaWait(RedisConfig config, MeterRegistry registry) {
    this.replicas = config.waitReplicas();
    this.waitMs = config.waitTimeoutMs();
    this.commandTimeoutMs = config.commandTimeoutMs();
    this.timeouts = Counter.builder("yzt.redis.wait.timeouts")
        .description("writes answered before redis.waitReplicas replicas acknowledged them").register(registry);
  }

  public boolean enabled() {
    return replicas > 0;
  }

  /**
   * Runs {@code write} on one connection of {@code redis} and, when {@code stored} says it changed
   * something, WAITs on that connection before the write's answer is passed on.
   */
  public Future<Response> write(Redis redis, Function<RedisConnection, Future<Response>> write,
      Predicate<Response> stored, String requestId) {
    return borrow(redis).compose(conn -> write.apply(conn)
        .compose(r -> stored.test(r) ? await(conn, requestId).map(r) : Future.succeededFuture(r))
        .eventually(conn::close));
  }

  private Future<RedisConnection> borrow(Redis redis) {
    Future<RedisConnection> borrowed = redis.connect();
    return borrowed.timeout(commandTimeoutMs, TimeUnit.MILLISECONDS).recover(err -> {
      borrowed.onSuccess(RedisConnection::close); // a connection that comes too late goes back to the pool
      return Future.failedFuture(err);
    });
  }

  private Future<Void> await(RedisConnection conn, String requestId) {
    return conn.send(Request.cmd(Command.WAIT).arg(replicas).arg(waitMs))
        .timeout(waitMs + commandTimeoutMs, TimeUnit.MILLISECONDS)
        .map(acked -> {
          int count = acked == null ? 0 : acked.toInteger();
          if (count < replicas) {
            timeouts.increment();
            LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "redis.wait_timeout")
                .log("redis: {} of {} replicas acknowledged a write within {} ms", count, replicas, waitMs);
          }
          return null;
        });
  }
}
