package org.yzt.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.store.RedisScript;
import org.yzt.testing.RedisServer;

/**
 * The per-client limiter, lua/rate_limit.lua on lua/lib/hit_log.lua, against a log of every hit (what
 * SPEC §5 means by a sliding window: at most max hits in any windowSeconds), hit by hit, on a real
 * Redis with the clock in the test's hands: the same hits are counted, the same refused, with the same
 * Retry-After and the same remaining count, for logs read whole and by ranges.
 */
class RateLimitScriptTest {
  /** Above this many slots a log is read and written by ranges (LOG_WHOLE_MAX), at or below it whole. */
  private static final int WHOLE_MAX = 1024;
  static RedisServer redis;
  static String script;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServer.startNew();
    script = resource("lua/lib/hit_log.lua") + "\n" + resource("lua/rate_limit.lua");
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = RateLimitScriptTest.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static long[] hit(String key, long window, int max, long now) {
    String[] reply = redis.cli("EVAL", script, "1", key, Long.toString(window), Integer.toString(max),
        RedisScript.millisText(now)).split("\n");
    return new long[] {Long.parseLong(reply[0]), Long.parseLong(reply[1])};
  }

  @Test
  void countsExactlyAsALogOfEveryHit() {
    walk(new int[] {1, 3, 7}, 300, 1000, 60, 900);
  }

  /** A log above WHOLE_MAX slots (a lifted limit) takes the other path: by ranges, never copied while it fills. */
  @Test
  void aLargeLogCountsExactlyAsALogOfEveryHitToo() {
    // the window is longer than the test runs: a log's TTL is real time, the test's clock is not
    walk(new int[] {WHOLE_MAX, WHOLE_MAX + 1}, 3000, 10_000, 1, 60);
  }

  private static void walk(int[] maxes, int hits, long window, int burstStep, int pauseStep) {
    Random random = new Random(11);
    for (int max : maxes) {
      String key = "test:rl:" + max;
      List<Long> accepted = new ArrayList<>();
      long now = 1_796_000_000_000L;
      int refused = 0;
      for (int i = 0; i < hits; i++) {
        now += random.nextInt(10) < 7 ? random.nextInt(burstStep) : random.nextInt(pauseStep); // bursts and pauses
        long since = now - window;
        List<Long> inWindow = accepted.stream().filter(t -> t > since).toList();
        long[] r = hit(key, window, max, now);
        if (inWindow.size() < max) {
          assertEquals(1, r[0], "hit " + i + " is allowed: " + inWindow.size() + " in the window");
          accepted.add(now);
          assertEquals(max - inWindow.size() - 1, r[1], "remaining after hit " + i);
        } else {
          assertEquals(0, r[0], "hit " + i + " is refused: " + inWindow.size() + " in the window");
          assertEquals(inWindow.get(inWindow.size() - max) + window - now, r[1], "retry after of hit " + i);
          refused++;
        }
      }
      assertTrue(refused > 10 && refused < hits - 10, "the walk exercises both answers: " + refused + " refused");
    }
  }

  @Test
  void aMaxMovedAcrossThePathsKeepsCountingTheSameHits() {
    long now = 1_796_000_000_000L;
    String key = "test:rl:across";
    for (int i = 0; i < 2; i++) {
      assertEquals(1, hit(key, 1000, 2, now)[0]);
    }
    assertEquals(0, hit(key, 1000, 2, now)[0], "max 2 reached");
    long[] raised = hit(key, 1000, WHOLE_MAX + 2, now);
    assertEquals(1, raised[0], "raised: room");
    assertEquals(WHOLE_MAX + 2 - 3, raised[1], "the two earlier hits still count");
    assertEquals(0, hit(key, 1000, 3, now)[0], "lowered to 3: the newest three are in the window");
  }

  @Test
  void anOldLimitersValueIsReplaced() {
    long now = 1_796_000_000_000L;
    redis.cli("ZADD", "test:rl:zset", "1", "a");
    long[] r = hit("test:rl:zset", 1000, 2, now);
    assertEquals(1, r[0], "the previous limiter's sorted set is replaced");
    assertEquals(1, r[1]);
    assertEquals("string", redis.cli("TYPE", "test:rl:zset").trim());
  }
}
