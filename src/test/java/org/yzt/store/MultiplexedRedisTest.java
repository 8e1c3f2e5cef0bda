package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.testing.RedisServer;

/**
 * A stopping node closes its multiplexed connection: the commands already sent get their answers
 * (a submission Redis is running is answered, not refused with 503 while Redis takes it), and a
 * command sent after close is refused at once.
 */
class MultiplexedRedisTest {
  /** A script that keeps Redis busy for about 300 ms, as a submission does while a node stops. */
  private static final String BUSY = "local s = redis.call('TIME') local t0 = s[1] * 1000000 + s[2] "
      + "while true do local n = redis.call('TIME') if n[1] * 1000000 + n[2] - t0 > 300000 then break end end "
      + "redis.call('SET', KEYS[1], 'taken') return 1";
  static RedisServer redis;
  static Vertx vertx;

  @BeforeAll
  static void start() {
    redis = RedisServer.startNew();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    redis.close();
  }

  @Test
  void closeWaitsForTheCommandsInFlightAndRefusesNewOnes() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    CompletableFuture<String> outcome = new CompletableFuture<>();
    CompletableFuture<Boolean> closedAfterAnswer = new CompletableFuture<>();
    CompletableFuture<String> afterClose = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
      conn.send(Request.cmd(Command.PING)).onComplete(ping -> {
        Future<Response> running = conn.send(Request.cmd(Command.EVAL).arg(BUSY).arg(1).arg("mux:taken"));
        running.onComplete(ar -> outcome.complete(ar.succeeded() ? ar.result().toString() : "failed: " + ar.cause()));
        conn.close().onComplete(c -> closedAfterAnswer.complete(running.isComplete()));
        conn.send(Request.cmd(Command.PING))
            .onComplete(ar -> afterClose.complete(ar.succeeded() ? "answered" : "refused"));
      });
    });
    assertEquals("1", outcome.get(10, TimeUnit.SECONDS), "the command in flight is answered");
    assertTrue(closedAfterAnswer.get(10, TimeUnit.SECONDS), "the connection closes only after that answer");
    assertEquals("refused", afterClose.get(10, TimeUnit.SECONDS), "a command after close is refused");
    assertEquals("taken", redis.cli("GET", "mux:taken").trim());
    client.close();
  }

  @Test
  void closeWithNothingInFlightClosesAtOnce() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    CompletableFuture<Boolean> closed = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
      conn.send(Request.cmd(Command.PING)).onComplete(ping -> conn.close()
          .onComplete(c -> closed.complete(c.succeeded())));
    });
    assertTrue(closed.get(5, TimeUnit.SECONDS));
    assertFalse(redis.cli("CLIENT", "LIST").isEmpty());
    client.close();
  }
}
