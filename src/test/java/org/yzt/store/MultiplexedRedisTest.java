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
import java.util.List;
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

  /** Runs {@code body} on a context of its own (MultiplexedRedis is used from one context) and waits for its result. */
  private static <T> T onContext(java.util.function.Function<MultiplexedRedis, Future<T>> body, MultiplexedRedis conn)
      throws Exception {
    CompletableFuture<T> out = new CompletableFuture<>();
    vertx.runOnContext(v -> body.apply(conn).onComplete(ar -> {
      if (ar.succeeded()) {
        out.complete(ar.result());
      } else {
        out.completeExceptionally(ar.cause());
      }
    }));
    return out.get(10, TimeUnit.SECONDS);
  }

  private static long clientId(MultiplexedRedis conn) throws Exception {
    return onContext(c -> c.send(Request.cmd(Command.CLIENT).arg("ID")).map(Response::toLong), conn);
  }

  /**
   * The id of the connection {@code conn} sends on while another borrower holds whatever the client's
   * pool has idle: a connection {@code conn} gave back (dropped) is then not lent to it again.
   */
  private static long idWhileThePoolIsHeld(Redis client, MultiplexedRedis conn) throws Exception {
    io.vertx.redis.client.RedisConnection other = client.connect().await(5, TimeUnit.SECONDS);
    try {
      return clientId(conn);
    } finally {
      other.close().await(5, TimeUnit.SECONDS);
    }
  }

  private static String outcome(MultiplexedRedis conn, Request request) throws Exception {
    return onContext(c -> c.send(request).map(String::valueOf).otherwise(err -> "failed: " + err.getMessage()), conn);
  }

  @Test
  void commandsShareOneConnectionAndAnErrorReplyKeepsIt() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
    try {
      long id = clientId(conn);
      assertEquals(id, clientId(conn), "one connection for every command");
      redis.cli("SET", "mux:text", "x");
      String wrong = outcome(conn, Request.cmd(Command.INCR).arg("mux:text"));
      assertTrue(wrong.startsWith("failed: ERR"), wrong);
      assertEquals(id, idWhileThePoolIsHeld(client, conn), "an error reply leaves the connection in use");
      List<Response> both = onContext(c -> c.batch(List.of(Request.cmd(Command.PING), Request.cmd(Command.CLIENT).arg("ID"))), conn);
      assertEquals(id, both.get(1).toLong(), "a batch goes on the same connection");
    } finally {
      conn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.close();
    }
  }

  @Test
  void aConnectionThatIsKilledIsOpenedAgainAndAReadOnlyReplyGivesItBack() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
    try {
      long first = clientId(conn);
      redis.cli("CLIENT", "KILL", "ID", Long.toString(first));
      // the closed connection is noticed (its end) and the next command opens another
      assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> {
        try {
          return clientId(conn) != first;
        } catch (Exception e) {
          return false;
        }
      }), "a new connection after the old one was killed");
      long second = clientId(conn);
      assertTrue(second != first);
      redis.cli("REPLICAOF", "127.0.0.1", Integer.toString(org.yzt.testing.RedisServer.freePort()));
      String write;
      try {
        write = outcome(conn, Request.cmd(Command.SET).arg("mux:k").arg("v"));
      } finally {
        redis.cli("REPLICAOF", "NO", "ONE");
      }
      assertTrue(write.startsWith("failed: READONLY"), write);
      // the connection is given back to the client (a Sentinel client has been replaced by then,
      // RoleCheckedRedis), and the next command borrows again
      assertTrue(idWhileThePoolIsHeld(client, conn) != second, "READONLY: the connection is given up");
      assertEquals("OK", outcome(conn, Request.cmd(Command.SET).arg("mux:k").arg("v")));
    } finally {
      conn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.close();
    }
  }

  @Test
  void aCommandWithoutAnAnswerInTimeFailsAndItsConnectionIsDropped() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    MultiplexedRedis conn = new MultiplexedRedis(client, 150);
    try {
      long before = clientId(conn);
      String busy = outcome(conn, Request.cmd(Command.EVAL).arg(BUSY).arg(1).arg("mux:slow"));
      assertEquals("failed: no answer from Redis within 150 ms", busy);
      assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> "taken".equals(redis.cli("GET", "mux:slow").trim())));
      assertTrue(idWhileThePoolIsHeld(client, conn) != before, "a connection that stopped answering is given up");
      // the late answer of the abandoned command is not taken for the answer of the next one
      assertEquals("PONG", outcome(conn, Request.cmd(Command.PING)));
    } finally {
      conn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.close();
    }
  }

  @Test
  void commandsSentWhileTheConnectionOpensWaitForThatOne() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
    try {
      List<Long> ids = onContext(c -> {
        Future<Long> a = c.send(Request.cmd(Command.CLIENT).arg("ID")).map(Response::toLong);
        Future<Long> b = c.send(Request.cmd(Command.CLIENT).arg("ID")).map(Response::toLong);
        return Future.all(a, b).map(v -> List.of(a.result(), b.result()));
      }, conn);
      assertEquals(ids.get(0), ids.get(1), "one connection opened for both");
    } finally {
      conn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.close();
    }
  }

  @Test
  void closeGivesTheConnectionBackAndANeverUsedOneClosesToo() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    try {
      MultiplexedRedis unused = new MultiplexedRedis(client, 5_000);
      CompletableFuture<Boolean> closed = new CompletableFuture<>();
      vertx.runOnContext(v -> unused.close().onComplete(ar -> closed.complete(ar.succeeded())));
      assertTrue(closed.get(5, TimeUnit.SECONDS), "nothing to close: closed at once");
      MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
      long id = clientId(conn);
      onContext(MultiplexedRedis::close, conn);
      long next = client.connect().compose(c -> c.send(Request.cmd(Command.CLIENT).arg("ID")).map(Response::toLong)
          .eventually(() -> c.close())).await(5, TimeUnit.SECONDS);
      assertEquals(id, next, "the closed connection went back to the client for the next borrower");
    } finally {
      client.close();
    }
  }

  @Test
  void connectHandsOutAConnectionOfTheSharedClient() throws Exception {
    Redis client = Redis.createClient(vertx, new RedisOptions().setConnectionString(redis.url()));
    MultiplexedRedis conn = new MultiplexedRedis(client, 5_000);
    try {
      long own = clientId(conn);
      long other = onContext(c -> c.connect().compose(rc -> rc.send(Request.cmd(Command.CLIENT).arg("ID"))
          .map(Response::toLong).eventually(() -> rc.close())), conn);
      assertTrue(own != other, "a connection of its own, not the multiplexed one");
    } finally {
      conn.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      client.close();
    }
  }
}
