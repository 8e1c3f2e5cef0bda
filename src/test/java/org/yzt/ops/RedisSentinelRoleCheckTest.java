package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.runtime.AppContext;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisSentinelSet;
import org.yzt.testing.RedisServer;
import org.yzt.testing.Wait;

/**
 * Issue 27 item 12, SPEC §11: after a Sentinel failover the client checks ROLE of the node it was
 * given. The first sentinel the service lists is cut off from the others' hello messages, so it
 * misses the failover and goes on naming the old primary, which stays up as a replica of the new
 * one. vertx-redis-client asks the first sentinel that answers and trusts it; only the ROLE check of
 * store/RoleCheckedRedis moves the service's client (AppContext.redis) to the new primary.
 * <ul>
 *   <li>with the periodic check, writes land on the new primary even while the demoted node takes
 *       writes ({@code replica-read-only no}, the case where no error ever shows the mistake);</li>
 *   <li>without it ({@code redis.roleCheckMs: 0}) the same client keeps writing to the demoted node,
 *       until that node refuses writes: the READONLY reply starts a check, and writes then land on the
 *       new primary. This client logs in as the ACL user of docs/operations.md, which may not run ROLE
 *       ({@code @dangerous}): the check then reads the role from HELLO.</li>
 * </ul>
 */
class RedisSentinelRoleCheckTest {
  private static final String ACL_PASSWORD = "role-check-acl";
  private static RedisSentinelSet redis;
  private static Vertx vertx;

  @BeforeAll
  static void start() {
    redis = RedisSentinelSet.start();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    if (vertx != null) {
      vertx.close().await(10, TimeUnit.SECONDS);
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static AppContext service(List<String> sentinels, long roleCheckMs, SimpleMeterRegistry metrics) {
    JsonObject config = redis.serviceConfig(new JsonObject().put("redis", new JsonObject()
        .put("endpoints", new JsonArray(sentinels)).put("roleCheckMs", roleCheckMs)));
    return new AppContext(vertx, config, metrics);
  }

  private static boolean writes(Redis client, String key) {
    try {
      return client.send(Request.cmd(Command.SET).arg(key).arg("v")).map(r -> "OK".equals(r.toString()))
          .otherwise(false).await(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * A write on a connection borrowed from {@code client}, as the pipeline's multiplexed connection and
   * a submission's WAIT connection write, is accepted and is on {@code node}.
   */
  private static boolean landsOnBorrowed(RedisProcess node, Redis client, String key) {
    try {
      boolean ok = client.connect().compose(c -> c.send(Request.cmd(Command.SET).arg(key).arg("v")).eventually(c::close))
          .map(r -> "OK".equals(r.toString())).otherwise(false).await(2, TimeUnit.SECONDS);
      return ok && "v".equals(node.cli("GET", key));
    } catch (Exception e) {
      return false;
    }
  }

  /** A write by {@code client} is accepted and is on {@code node}. */
  private static boolean landsOn(RedisProcess node, Redis client, String key) {
    return writes(client, key) && "v".equals(node.cli("GET", key));
  }

  private static double mismatches(SimpleMeterRegistry metrics) {
    return metrics.get("yzt.redis.role.mismatches").counter().count();
  }

  @Test
  void writesLeaveTheDemotedPrimaryThatAStaleSentinelStillNames() throws Exception {
    String cutOff = redis.startCutOffSentinel();
    int cutOffPort = URI.create(cutOff).getPort();
    List<String> sentinels = new ArrayList<>(List.of(cutOff));
    sentinels.addAll(redis.sentinelUrls());
    // the user operations.md gives the service, on the data nodes; the sentinels let it run SENTINEL
    for (RedisProcess node : List.of(redis.primary(), redis.replica())) {
      assertEquals("OK", node.cli("ACL", "SETUSER", "yzt", "on", ">" + ACL_PASSWORD, "~*", "&*", "+@all", "-@dangerous"));
    }
    List<String> asAclUser = new ArrayList<>();
    for (String url : sentinels) {
      int port = URI.create(url).getPort();
      assertEquals("OK", RedisServer.command(port, "ACL", "SETUSER", "yzt", "on", ">" + ACL_PASSWORD, "~*", "&*", "+@all").trim());
      asAclUser.add(url.replace("redis://", "redis://yzt:" + ACL_PASSWORD + "@"));
    }
    assertTrue(redis.primary().cli("ACL", "DRYRUN", "yzt", "ROLE").contains("no permissions"), "the ACL user may not run ROLE");
    SimpleMeterRegistry periodicMetrics = new SimpleMeterRegistry();
    SimpleMeterRegistry readOnlyMetrics = new SimpleMeterRegistry();
    Redis periodic = service(sentinels, 200, periodicMetrics).redis;
    Redis onReadOnly = service(asAclUser, 0, readOnlyMetrics).redis;
    RedisProcess oldPrimary = redis.primary();
    RedisProcess newPrimary = redis.replica();
    assertTrue(landsOn(oldPrimary, periodic, "before-1"), "a write before the failover");
    assertTrue(landsOn(oldPrimary, onReadOnly, "before-2"), "a write before the failover");
    // a connection held for long, as a pipeline worker holds its multiplexed one
    RedisConnection held = periodic.connect().await(2, TimeUnit.SECONDS);
    AtomicBoolean heldEnded = new AtomicBoolean();
    held.endHandler(v -> heldEnded.set(true));

    // the worst case of a stale answer: the demoted node takes writes, so no error shows the mistake
    assertEquals("OK", oldPrimary.cli("CONFIG", "SET", "replica-read-only", "no"));
    assertEquals("OK", redis.sentinelCli("SENTINEL", "FAILOVER", RedisSentinelSet.MASTER_NAME));
    Wait.await(10_000, "the sentinels naming the promoted replica", () -> redis.primaryPortNow() == newPrimary.port());
    // what the sentinels do about 10 s later (+convert-to-slave), done at once
    oldPrimary.cli("REPLICAOF", "127.0.0.1", Integer.toString(newPrimary.port()));
    Wait.await(10_000, "the old primary a replica in sync", () -> oldPrimary.cli("ROLE").contains("connected"));
    long demotedAt = System.currentTimeMillis();
    String named = RedisServer.command(cutOffPort, "SENTINEL", "get-master-addr-by-name", RedisSentinelSet.MASTER_NAME);
    assertTrue(named.trim().endsWith(Integer.toString(oldPrimary.port())), "the cut-off sentinel names the old primary");

    AtomicInteger n = new AtomicInteger();
    Wait.await(5_000, "a write of the checked client on the new primary",
        () -> landsOn(newPrimary, periodic, "p-" + n.incrementAndGet()));
    System.out.println("role check: first write on the new primary " + (System.currentTimeMillis() - demotedAt)
        + " ms after the old primary was a replica in sync");
    for (int i = 0; i < 20; i++) {
      assertTrue(landsOn(newPrimary, periodic, "p-after-" + i), "write " + i + " on the new primary");
    }
    assertTrue(mismatches(periodicMetrics) >= 1, "the mismatch counted");
    // the replaced client is closed once commands in flight had their time, and the held connection with it
    Wait.await(5_000, "the connection held to the demoted node closed", heldEnded::get);

    // no periodic check: the client stays on the demoted node, which takes the write and keeps it to itself
    assertTrue(landsOn(oldPrimary, onReadOnly, "r-stale"), "the unchecked client writes to the demoted node");
    assertEquals("", newPrimary.cli("GET", "r-stale"), "a write the new primary never sees");
    assertEquals(0.0, mismatches(readOnlyMetrics));
    // once the node refuses writes, its READONLY reply starts the check
    assertEquals("OK", oldPrimary.cli("CONFIG", "SET", "replica-read-only", "yes"));
    long refusingAt = System.currentTimeMillis();
    // the writes here go on borrowed connections: their READONLY replies too must start the check
    Wait.await(5_000, "a write after a READONLY reply on the new primary",
        () -> landsOnBorrowed(newPrimary, onReadOnly, "r-" + n.incrementAndGet()));
    System.out.println("role check: first write on the new primary " + (System.currentTimeMillis() - refusingAt)
        + " ms after the demoted node began to refuse writes");
    assertTrue(mismatches(readOnlyMetrics) >= 1, "the mismatch counted");
    assertTrue(landsOn(newPrimary, onReadOnly, "r-pooled"), "a pooled write on the new primary too");
  }
}
