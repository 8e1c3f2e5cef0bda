package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.yzt.testing.RedisServer;
import org.yzt.testing.Wait;

/**
 * The ROLE check of {@link RoleCheckedRedis} against one real redis-server that is turned into a
 * replica and back ({@code REPLICAOF}), without the sentinels RedisSentinelRoleCheckTest starts: a
 * READONLY reply (pooled or on a borrowed connection) or the period starts a check, a node answering
 * as a replica gets its client replaced (counted, logged once per episode, the old client closed
 * after the grace time), a primary does not, and replacements are at least a second apart.
 */
class RoleCheckedRedisTest {
  static RedisServer redis;
  static Vertx vertx;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private RoleCheckedRedis client;

  @BeforeAll
  static void start() {
    redis = RedisServer.startNew();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  @AfterEach
  void primaryAgain() throws Exception {
    redis.cli("REPLICAOF", "NO", "ONE");
    if (client != null) {
      client.close().await(10, TimeUnit.SECONDS);
    }
  }

  private RoleCheckedRedis client(long checkEveryMs) {
    client = new RoleCheckedRedis(vertx, new RedisOptions().setConnectionString(redis.url()), checkEveryMs, 300, metrics);
    return client;
  }

  private double mismatches() {
    return metrics.get("yzt.redis.role.mismatches").counter().count();
  }

  private static void replica() {
    redis.cli("REPLICAOF", "127.0.0.1", Integer.toString(RedisServer.freePort()));
  }

  private static String write(io.vertx.core.Future<Response> sent) {
    try {
      return sent.map(String::valueOf).otherwise(e -> e.getMessage()).await(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return "no answer: " + e;
    }
  }

  @Test
  void aReadOnlyReplyStartsTheCheckAndTheClientIsReplacedAndCountedOnce() throws Exception {
    Logger log = (Logger) LoggerFactory.getLogger(RoleCheckedRedis.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      RoleCheckedRedis r = client(0);
      assertEquals("OK", write(r.send(Request.cmd(Command.SET).arg("role:k").arg("v"))));
      RedisConnection held = r.connect().await(5, TimeUnit.SECONDS);
      AtomicBoolean heldEnded = new AtomicBoolean();
      held.endHandler(v -> heldEnded.set(true));
      assertFalse(held.pendingQueueFull());

      replica();
      String refused = write(r.send(Request.cmd(Command.SET).arg("role:k").arg("v")));
      assertTrue(refused.startsWith("READONLY"), refused);
      assertTrue(Wait.waitUntil(5_000, () -> mismatches() == 1), "the READONLY reply started a check: " + mismatches());
      assertTrue(Wait.waitUntil(5_000, heldEnded::get), "the replaced client is closed after the grace time, "
          + "and the connection borrowed from it ends");
      List<String> warned = lines.list.stream().map(ILoggingEvent::getFormattedMessage)
          .filter(m -> m.contains("redis.role_mismatch")).toList();
      assertEquals(1, warned.size(), "" + warned);
      assertTrue(warned.get(0).contains("answers ROLE slave"), warned.get(0));

      redis.cli("REPLICAOF", "NO", "ONE");
      assertEquals("OK", write(r.send(Request.cmd(Command.SET).arg("role:k").arg("v"))), "the new client writes");
      // a second after the replacement the check runs again, and says so once the node is a primary again
      assertTrue(Wait.waitUntil(5_000, () -> {
        r.check();
        return lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains("redis.role_ok"));
      }), "the end of the mismatch is logged");
      assertEquals(1.0, mismatches());
    } finally {
      log.detachAppender(lines);
    }
  }

  @Test
  void aReadOnlyReplyOnABorrowedConnectionStartsTheCheckToo() throws Exception {
    RoleCheckedRedis r = client(0);
    RedisConnection borrowed = r.connect().await(5, TimeUnit.SECONDS);
    replica();
    String refused = write(borrowed.send(Request.cmd(Command.SET).arg("role:b").arg("v")));
    assertTrue(refused.startsWith("READONLY"), refused);
    assertTrue(Wait.waitUntil(5_000, () -> mismatches() == 1), "counted: " + mismatches());
    List<Response> batch = r.batch(List.of(Request.cmd(Command.PING))).await(5, TimeUnit.SECONDS);
    assertEquals("PONG", batch.get(0).toString());
  }

  @Test
  void theReplacementsOfAReadOnlyStormAreASecondApart() throws Exception {
    RoleCheckedRedis r = client(0);
    replica();
    write(r.send(Request.cmd(Command.SET).arg("role:s").arg("v")));
    assertTrue(Wait.waitUntil(5_000, () -> mismatches() == 1));
    long first = System.currentTimeMillis();
    // READONLY replies keep coming: the next replacement waits out the gap
    assertTrue(Wait.waitUntil(10_000, () -> {
      write(r.send(Request.cmd(Command.SET).arg("role:s").arg("v")));
      return mismatches() == 2;
    }));
    long gap = System.currentTimeMillis() - first;
    assertTrue(gap >= RoleCheckedRedis.MIN_REPLACEMENT_GAP_MS - 50, "second replacement after " + gap + " ms");
  }

  @Test
  void thePeriodicCheckFindsAReplicaWithoutAnyCommand() throws Exception {
    client(100);
    replica();
    assertTrue(Wait.waitUntil(5_000, () -> mismatches() >= 1), "found by the period: " + mismatches());
  }

  @Test
  void anAclUserThatMayNotRunRoleIsCheckedThroughHello() throws Exception {
    // the user docs/operations.md gives the service: no @dangerous, so no ROLE
    assertEquals("OK", redis.cli("ACL", "SETUSER", "rolecheck", "on", ">role-pw", "~*", "&*", "+@all", "-@dangerous").trim());
    Logger log = (Logger) LoggerFactory.getLogger(RoleCheckedRedis.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      client = new RoleCheckedRedis(vertx, new RedisOptions().setConnectionString(
          redis.url().replace("redis://", "redis://rolecheck:role-pw@")), 0, 300, metrics);
      assertEquals("OK", write(client.send(Request.cmd(Command.SET).arg("role:h").arg("v"))));
      client.check();
      replica();
      String refused = write(client.send(Request.cmd(Command.SET).arg("role:h").arg("v")));
      assertTrue(refused.startsWith("READONLY"), refused);
      assertTrue(Wait.waitUntil(5_000, () -> mismatches() == 1), "HELLO's role said replica: " + mismatches());
      redis.cli("REPLICAOF", "NO", "ONE");
      // a second after the replacement, HELLO's role says master: logged, not counted
      assertTrue(Wait.waitUntil(5_000, () -> {
        client.check();
        return lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains("redis.role_ok"));
      }), "HELLO's role said master again");
      assertEquals(1.0, mismatches());
    } finally {
      log.detachAppender(lines);
      redis.cli("ACL", "DELUSER", "rolecheck");
    }
  }

  @Test
  void theSentinelThatNamedAReplicaIsAskedLast() {
    assertEquals(List.of("b", "a"), RoleCheckedRedis.rotate(List.of("a", "b")));
    assertEquals(List.of(), RoleCheckedRedis.rotate(List.of()));
  }

  @Test
  void onlyARedisReadOnlyReplyCounts() throws Exception {
    replica();
    Throwable readOnly;
    try (var probe = new AutoCloseable() {
      final io.vertx.redis.client.Redis plain = io.vertx.redis.client.Redis.createClient(vertx, redis.url());

      @Override
      public void close() throws Exception {
        plain.close().await(5, TimeUnit.SECONDS);
      }
    }) {
      readOnly = probe.plain.send(Request.cmd(Command.SET).arg("role:r").arg("v")).map(v -> (Throwable) null)
          .otherwise(e -> e).await(5, TimeUnit.SECONDS);
      Throwable other = probe.plain.send(Request.cmd(Command.INCR).arg("role:none").arg("x")).map(v -> (Throwable) null)
          .otherwise(e -> e).await(5, TimeUnit.SECONDS);
      assertTrue(RoleCheckedRedis.isReadOnly(readOnly), "" + readOnly);
      assertFalse(RoleCheckedRedis.isReadOnly(other), "another error reply: " + other);
    }
    assertFalse(RoleCheckedRedis.isReadOnly(new IOException("READONLY")), "not a Redis reply");
  }

  @Test
  void aBorrowedConnectionPassesMessagesThrough() throws Exception {
    RoleCheckedRedis r = client(0);
    RedisConnection c = r.connect().await(5, TimeUnit.SECONDS);
    List<String> got = new CopyOnWriteArrayList<>();
    // the fluent calls give back the connection the caller holds, so they chain
    assertSame(c, c.handler(m -> got.add(m.toString())));
    assertSame(c, c.exceptionHandler(err -> { }));
    assertSame(c, c.endHandler(v -> { }));
    assertEquals("PONG", c.batch(List.of(Request.cmd(Command.PING))).await(5, TimeUnit.SECONDS).get(0).toString());
    c.send(Request.cmd(Command.SUBSCRIBE).arg("role:ch")).await(5, TimeUnit.SECONDS);
    assertSame(c, c.pause());
    assertSame(c, c.resume());
    assertSame(c, c.fetch(Long.MAX_VALUE));
    redis.cli("PUBLISH", "role:ch", "hello");
    assertTrue(Wait.waitUntil(5_000, () -> got.stream().anyMatch(m -> m.contains("hello"))), "" + got);
    c.close().await(5, TimeUnit.SECONDS);
  }
}
