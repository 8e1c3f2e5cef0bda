package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Redis connection kept by a pipeline worker for its job writes, with commands pipelined on it:
 * the pooled client borrows a connection per command, which on this kind of machine caps a worker
 * at a few thousand commands per second; one pipelined connection does several times more. The
 * connection comes from the shared pool, is replaced when it fails or stops answering, and goes
 * back to the pool on {@link #close()}. Use from the worker's own context.
 */
final class PipelinedRedis implements Redis {
  private final Redis pool;
  private final long timeoutMs;
  private RedisConnection conn;
  private Future<RedisConnection> connecting;
  private boolean closed;

  PipelinedRedis(Redis pool, long timeoutMs) {
    this.pool = pool;
    this.timeoutMs = timeoutMs;
  }

  @Override
  public Future<RedisConnection> connect() {
    return pool.connect();
  }

  private Future<RedisConnection> connection() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("closed"));
    }
    if (conn != null) {
      return Future.succeededFuture(conn);
    }
    if (connecting == null) {
      Future<RedisConnection> attempt = pool.connect().timeout(timeoutMs, TimeUnit.MILLISECONDS);
      connecting = attempt;
      // set before the callback: a connection the pool hands over at once completes the attempt
      // inside onComplete, and a finished attempt left in `connecting` would hand out a dropped
      // connection for ever (seen after a Sentinel failover)
      attempt.onComplete(ar -> {
        if (connecting == attempt) {
          connecting = null;
        }
        if (ar.succeeded()) {
          RedisConnection c = ar.result();
          conn = c;
          c.exceptionHandler(err -> drop(c));
          c.endHandler(v -> drop(c));
        }
      });
      return attempt;
    }
    return connecting;
  }

  private void drop(RedisConnection c) {
    if (conn == c) {
      conn = null;
      c.close();
    }
  }

  /**
   * Sends on the open connection directly when there is one. Its futures belong to the worker's
   * context, so the timeout here (and any a caller adds) is a timer on the worker's event loop; a
   * future composed onto {@code Future.succeededFuture(conn)} has no context, and Vert.x 5 then
   * schedules {@code Future.timeout} on Netty's GlobalEventExecutor: a cross-thread hand-off for
   * every command, twice, which cost more CPU than the commands themselves.
   */
  @Override
  public Future<Response> send(Request request) {
    RedisConnection c = conn;
    if (c != null && !closed) {
      return sendOn(c, request);
    }
    return connection().compose(open -> sendOn(open, request));
  }

  private Future<Response> sendOn(RedisConnection c, Request request) {
    return c.send(request).timeout(timeoutMs, TimeUnit.MILLISECONDS).onFailure(err -> {
      if (!(err instanceof Response)) {
        drop(c); // a timeout or a broken connection; a Redis error reply (NOSCRIPT …) leaves it usable
      }
    });
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests));
  }

  @Override
  public Future<Void> close() {
    closed = true;
    RedisConnection c = conn;
    conn = null;
    return c == null ? Future.succeededFuture() : c.close();
  }
}
