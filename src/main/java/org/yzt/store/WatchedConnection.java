package org.yzt.store;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;

/**
 * A connection borrowed from {@link RoleCheckedRedis} whose failed commands are shown to it, so a
 * READONLY on a long-held connection (a worker's multiplexed one, a submission's WAIT connection)
 * starts a ROLE check as one on a pooled command does.
 */
final class WatchedConnection implements RedisConnection {
  private final RedisConnection delegate;
  private final Handler<Throwable> onFailure;

  WatchedConnection(RedisConnection delegate, Handler<Throwable> onFailure) {
    this.delegate = delegate;
    this.onFailure = onFailure;
  }

  @Override
  public Future<Response> send(Request command) {
    return delegate.send(command).onFailure(onFailure);
  }

  @Override
  public Future<List<Response>> batch(List<Request> commands) {
    return delegate.batch(commands).onFailure(onFailure);
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }

  @Override
  public boolean pendingQueueFull() {
    return delegate.pendingQueueFull();
  }

  @Override
  public RedisConnection exceptionHandler(Handler<Throwable> handler) {
    delegate.exceptionHandler(handler);
    return this;
  }

  @Override
  public RedisConnection handler(Handler<Response> handler) {
    delegate.handler(handler);
    return this;
  }

  @Override
  public RedisConnection pause() {
    delegate.pause();
    return this;
  }

  @Override
  public RedisConnection resume() {
    delegate.resume();
    return this;
  }

  @Override
  public RedisConnection fetch(long amount) {
    delegate.fetch(amount);
    return this;
  }

  @Override
  public RedisConnection endHandler(Handler<Void> endHandler) {
    delegate.endHandler(endHandler);
    return this;
  }
}
