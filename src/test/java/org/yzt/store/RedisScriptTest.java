package org.yzt.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.testing.RedisServer;

/** Scripts with a node's constants written in front, on a real Redis, and their reload after Redis forgot them. */
class RedisScriptTest {
  static RedisServer redis;
  static Vertx vertx;
  static Redis client;

  @BeforeAll
  static void start() {
    redis = RedisServer.startNew();
    vertx = Vertx.vertx();
    client = Redis.createClient(vertx, "redis://127.0.0.1:" + redis.port());
  }

  @AfterAll
  static void stop() throws Exception {
    client.close();
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private static Response run(RedisScript script) throws Exception {
    return script.run(List.of(), List.of()).await(10, TimeUnit.SECONDS);
  }

  @Test
  void constantsAreANumberAndAStringOfTheSameValue() throws Exception {
    Response r = run(RedisScript.load(client, 5000, Map.of("QUERY_MS", 86_400_000L, "LIMIT", 120L), "test_constants"));
    assertEquals(86_400_001L, r.get(0).toLong());
    assertEquals("86400000!", r.get(1).toString());
    assertEquals("string", r.get(2).toString());
    assertEquals(120, r.get(3).toInteger());
  }

  @Test
  void otherConstantsAreAnotherScriptAndRedisForgettingOneIsNoFailure() throws Exception {
    RedisScript a = RedisScript.load(client, 5000, Map.of("QUERY_MS", 1L, "LIMIT", 2L), "test_constants");
    RedisScript b = RedisScript.load(client, 5000, Map.of("QUERY_MS", 10L, "LIMIT", 20L), "test_constants");
    assertEquals(2, run(a).get(0).toInteger());
    assertEquals(11, run(b).get(0).toInteger());
    redis.cli("SCRIPT", "FLUSH");
    assertEquals(2, run(a).get(0).toInteger(), "loaded again on NOSCRIPT");
    assertEquals(20, run(b).get(3).toInteger());
  }

  @Test
  void aConstantsNameMustBeALuaNameInCapitals() {
    for (String name : List.of("lower", "1ST", "A-B", "A B", "A=1 os.exit()", "")) {
      assertThrows(IllegalArgumentException.class,
          () -> RedisScript.load(client, 5000, Map.of(name, 1L), "test_constants"), name);
    }
  }

  @Test
  void aHitTakenBackIsTheAlignedSlotOfThatTimeAndTheLogKeepsItsTtl() throws Exception {
    RedisScript takeBack = RedisScript.load(client, 5000, "lib/hit_log", "test_take_back");
    // 13 zeros first occur across the first two slots; only the third slot is that time
    String a = "5000000000000";
    String b = "0000000000005";
    String zero = "0000000000000";
    redis.cli("SET", "log", a + b + zero, "PX", "60000");
    Response r = takeBack.run(List.of("log"), List.of(zero)).await(10, TimeUnit.SECONDS);
    assertEquals(a + b, r.get(0).toString());
    long ttl = r.get(1).toLong();
    assertEquals(true, ttl > 50_000 && ttl <= 60_000, "TTL kept: " + ttl);
    r = takeBack.run(List.of("log"), List.of("7777777777777")).await(10, TimeUnit.SECONDS);
    assertEquals(a + b, r.get(0).toString(), "a time not in the log changes nothing");
    takeBack.run(List.of("log"), List.of(a)).await(10, TimeUnit.SECONDS);
    r = takeBack.run(List.of("log"), List.of(b)).await(10, TimeUnit.SECONDS);
    assertEquals(null, r.get(0), "an emptied log is deleted");
    assertEquals(-2, r.get(1).toLong());
  }

  /**
   * A script carries only the library functions it calls, directly or through another (each is a closure Redis
   * makes on every call): the code script of standalone uses eight of the thirteen its three libraries define.
   */
  @Test
  void aScriptCarriesOnlyTheLibraryFunctionsItCalls() throws Exception {
    RedisScript whole = RedisScript.load(client, 5000, "lib/hit_log", "lib/sms_code", "lib/sms_budget", "sms_code_whole");
    List<String> defined = java.util.regex.Pattern.compile("(?m)^local function ([a-z_]+)\\(").matcher(whole.source())
        .results().map(m -> m.group(1)).toList();
    // mget_some, log_read, log_room and log_add by the body; code_refusal through code_check_read
    assertEquals(List.of("log_read", "mget_some", "log_room", "log_add", "code_refusal", "code_check_read", "code_write",
        "budget_reserve"), defined);
    assertEquals(40, redis.cli("SCRIPT", "LOAD", whole.source()).trim().length(), "the script compiles");
    // a function called only by another kept function is kept (log_hit calls log_read, log_room and log_add)
    RedisScript limiter = RedisScript.load(client, 5000, "lib/hit_log", "rate_limit");
    List<String> used = java.util.regex.Pattern.compile("(?m)^local function ([a-z_]+)\\(").matcher(limiter.source())
        .results().map(m -> m.group(1)).toList();
    assertEquals(true, used.containsAll(List.of("log_hit", "log_read", "log_room", "log_add")), used.toString());
  }

  @Test
  void aLibraryFunctionWithoutItsEndLineIsRefused() {
    assertThrows(IllegalStateException.class, () -> LibFunctions.join(
        List.of("local function a()\n  return 1\n  end\nlocal function b()\nend\n", "return b()"), List.of(true, false)));
  }

  @Test
  void millisecondsAreThirteenDigits() {
    assertEquals("1796270400000", RedisScript.millisText(1_796_270_400_000L));
    assertEquals("0000000000042", RedisScript.millisText(42));
    assertEquals("0000000000000", RedisScript.millisText(0));
    assertEquals("9999999999999", RedisScript.millisText(9_999_999_999_999L));
    assertThrows(IllegalStateException.class, () -> RedisScript.millisText(-1));
    assertThrows(IllegalStateException.class, () -> RedisScript.millisText(10_000_000_000_000L));
  }

  private static String commandStats() {
    return redis.cli("INFO", "commandstats");
  }

  private static String calls(String stats, String command) {
    var m = java.util.regex.Pattern.compile("cmdstat_" + command + "(\\|[a-z]+)?:calls=(\\d+)").matcher(stats);
    return m.find() ? m.group(2) : "0"; // SCRIPT LOAD is cmdstat_script|load on Redis 7, cmdstat_script before
  }

  /**
   * Preloaded (warm at start, or preload), a script's calls are EVALSHA alone: Redis neither compiles it again
   * nor gets its source on the request's path (an EVAL would show in its command statistics).
   */
  @Test
  void aPreloadedScriptRunsByItsShaAlone() throws Exception {
    RedisScript warmed = RedisScript.load(client, 5000, Map.of("QUERY_MS", 31L, "LIMIT", 32L), "test_constants");
    RedisScript preloaded = warmed.sibling(Map.of("QUERY_MS", 41L, "LIMIT", 42L), "test_constants");
    redis.cli("CONFIG", "RESETSTAT");
    warmed.warm().await(10, TimeUnit.SECONDS);
    preloaded.preload().await(10, TimeUnit.SECONDS);
    assertEquals(32, run(warmed).get(3).toInteger());
    assertEquals(42, run(preloaded).get(3).toInteger(), "the sibling has its own constants");
    assertEquals(42, run(preloaded).get(3).toInteger());
    String stats = commandStats();
    assertEquals("2", calls(stats, "script"), stats);
    assertEquals("3", calls(stats, "evalsha"), stats);
    assertEquals("0", calls(stats, "eval"), stats);
  }

  /** With Redis away at start a node still comes up: warm never fails, preload says so. */
  @Test
  void warmingWithRedisAwayIsNoFailure() throws Exception {
    Redis away = Redis.createClient(vertx, "redis://127.0.0.1:" + RedisServer.freePort());
    try {
      RedisScript script = RedisScript.load(away, 2000, "test_constants");
      script.warm().await(10, TimeUnit.SECONDS);
      assertThrows(Exception.class, () -> script.preload().await(10, TimeUnit.SECONDS));
    } finally {
      away.close();
    }
  }

  /** An error of the script's own is the caller's answer as Redis gave it, not a reason to send the source. */
  @Test
  void aScriptsErrorIsPassedOnAndNotRetried() throws Exception {
    RedisScript refuse = RedisScript.load(client, 5000, "test_refuse");
    refuse.preload().await(10, TimeUnit.SECONDS);
    redis.cli("CONFIG", "RESETSTAT");
    Throwable e = assertThrows(Throwable.class, () -> run(refuse));
    assertEquals(true, String.valueOf(e.getMessage()).contains("refused by the test script"), String.valueOf(e));
    String stats = commandStats();
    assertEquals("1", calls(stats, "evalsha"), stats);
    assertEquals("0", calls(stats, "eval"), stats);
  }

  /** On a borrowed connection (a WAIT after it is about this write), and reloaded there after Redis forgot it. */
  @Test
  void aScriptRunsOnABorrowedConnection() throws Exception {
    RedisScript script = RedisScript.load(client, 5000, Map.of("QUERY_MS", 51L, "LIMIT", 52L), "test_constants");
    RedisConnection conn = client.connect().await(10, TimeUnit.SECONDS);
    try {
      assertEquals(52, script.run(conn, List.of(), List.of()).await(10, TimeUnit.SECONDS).get(3).toInteger());
      redis.cli("SCRIPT", "FLUSH");
      assertEquals(52, script.run(conn, List.of(), List.of()).await(10, TimeUnit.SECONDS).get(3).toInteger());
    } finally {
      conn.close();
    }
  }

  /**
   * A stalled Redis (here paused: it answers nothing for 4 s) fails a script's call and its preload at the
   * script's timeout, not when Redis comes back; timeout 0 leaves the bound to the client (the pipeline's).
   */
  @Test
  void aStalledRedisFailsTheCallAtItsTimeout() throws Exception {
    RedisScript bounded = RedisScript.load(client, 200, Map.of("QUERY_MS", 61L, "LIMIT", 62L), "test_constants");
    RedisScript sibling = bounded.sibling(Map.of("QUERY_MS", 71L, "LIMIT", 72L), "test_constants");
    RedisScript unbounded = RedisScript.load(client, 0, Map.of("QUERY_MS", 81L, "LIMIT", 82L), "test_constants");
    assertEquals(62, run(bounded).get(3).toInteger());
    long start = System.nanoTime();
    assertEquals("OK", redis.cli("CLIENT", "PAUSE", "4000", "ALL").trim());
    var call = bounded.run(List.of(), List.of());
    var load = bounded.preload();
    var siblingCall = sibling.run(List.of(), List.of());
    var late = unbounded.run(List.of(), List.of());
    var lateLoad = unbounded.preload();
    assertThrows(Exception.class, () -> call.await(10, TimeUnit.SECONDS));
    assertThrows(Exception.class, () -> load.await(10, TimeUnit.SECONDS));
    assertThrows(Exception.class, () -> siblingCall.await(10, TimeUnit.SECONDS), "a sibling keeps the timeout");
    long failedAfterMs = (System.nanoTime() - start) / 1_000_000;
    // the 200 ms timeout, with room for a loaded machine: still long before the pause ends
    assertEquals(true, failedAfterMs < 3500, "failed after " + failedAfterMs + " ms");
    assertEquals(82, late.await(10, TimeUnit.SECONDS).get(3).toInteger(), "no timer of its own: answered after the pause");
    lateLoad.await(10, TimeUnit.SECONDS);
  }
}
