package org.yzt.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.yzt.time.Deadlines;

/**
 * One Redis connection kept by a pipeline worker for its job reads and writes, with many commands
 * in flight on it at once: the pooled client borrows a connection per command, which on this kind
 * of machine caps a worker at a few thousand commands per second; one multiplexed connection does
 * several times more. The connection comes from the shared client (so whatever it is set up for,
 * Sentinel or TLS, applies here too), and is dropped and opened again on the next command when it
 * closes, fails, stops answering, or answers READONLY (its server became a replica in a failover).
 * Use from the worker's own context.
 */
public final class MultiplexedRedis implements Redis {
  private final Redis client;
  private final long timeoutMs;
  private RedisConnection conn;
  private Future<RedisConnection> connecting;
  private boolean closed;
  /** Commands sent and not yet answered (each ends by its own deadline at the latest). */
  private int inFlight;
  /** Completed when {@link #close} has waited for the last command in flight. */
  private Promise<Void> drained;

  public MultiplexedRedis(Redis client, long timeoutMs) {
    this.client = client;
    this.timeoutMs = timeoutMs;
    RedisScript.sameMasters(this, client); // its scripts preloaded on every master of a cluster, as the client's
  }

  @Override
  public Future<RedisConnection> connect() {
    return client.connect();
  }

  private Future<RedisConnection> connection() {
    if (closed) {
      return Future.failedFuture(new IllegalStateException("closed"));
    }
    if (conn != null) {
      return Future.succeededFuture(conn);
    }
    Future<RedisConnection> pending = connecting;
    if (pending == null) {
      Future<RedisConnection> attempt = client.connect().timeout(timeoutMs, TimeUnit.MILLISECONDS);
      // set before the handler below runs: a connect that completes at once must not leave a
      // finished future here, or every later command would get that (possibly dead) connection
      connecting = attempt;
      attempt.onComplete(ar -> {
        if (connecting == attempt) {
          connecting = null;
        }
        if (ar.succeeded()) {
          RedisConnection c = ar.result();
          if (closed) {
            c.close();
            return;
          }
          conn = c;
          c.exceptionHandler(err -> drop(c));
          c.endHandler(v -> drop(c));
        }
      });
      return attempt;
    }
    return pending;
  }

  private void drop(RedisConnection c) {
    if (conn == c) {
      conn = null;
      c.close();
    }
  }

  /**
   * Sends on the open connection directly when there is one (a future composed onto
   * {@code Future.succeededFuture(conn)} has no context, and Vert.x 5 then schedules
   * {@code Future.timeout} on Netty's GlobalEventExecutor: a cross-thread hand-off for every
   * command). The command's timeout is a {@link Deadlines} entry, expiring on the worker's context.
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
    inFlight++;
    Future<Response> answered = Deadlines.bound(c.send(request), timeoutMs,
        () -> new TimeoutException("no answer from Redis within " + timeoutMs + " ms"));
    answered.onComplete(ar -> {
      if (--inFlight == 0 && drained != null) {
        drained.tryComplete();
      }
    });
    return answered.onFailure(err -> {
      // a Redis error reply (NOSCRIPT, NOGROUP …) leaves the connection usable; READONLY means it
      // now leads to a replica, and anything else is a timeout or a broken connection
      if (!(err instanceof Response) || (err.getMessage() != null && err.getMessage().startsWith("READONLY"))) {
        drop(c);
      }
    });
  }


  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    return connection().compose(c -> c.batch(requests));
  }

  /**
   * Refuses new commands at once and closes the connection once the commands in flight are answered
   * (or have timed out): a submission whose script Redis is running when the node stops gets its
   * answer, instead of a 503 for a query Redis has taken.
   */
  @Override
  public Future<Void> close() {
    closed = true;
    if (inFlight > 0 && drained == null) {
      drained = Promise.promise();
    }
    Future<Void> waited = inFlight > 0 ? drained.future() : Future.succeededFuture();
    return waited.compose(v -> {
      RedisConnection c = conn;
      conn = null;
      return c == null ? Future.succeededFuture() : c.close();
    });
  }
}
