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
import org.yzt.testing.RedisServer;

/**
 * The hit logs of lua/lib/hit_log.lua (the submission script's per-IP limits) against a log of every
 * hit (SPEC §5: at most max hits in any windowSeconds), hit by hit, on a real Redis with the clock in
 * the test's hands: two logs read together as the submission reads them, the first counted on every
 * allowed hit, the second only sometimes (as wrong codes are): the same hits allowed, the same refused,
 * with the same Retry-After, whole and by ranges.
 */
class HitLogScriptTest {
  /** As lua/query_submit.lua: both read (one MGET when both are whole), the first counted when allowed. */
  private static final String PAIR_BODY = "\nlocal w, now_s = tonumber(ARGV[1]), ARGV[4]\n"
      + "local now = tonumber(now_s)\n"
      + "local m1, m2 = tonumber(ARGV[2]), tonumber(ARGV[3])\n"
      + "local a, b = log_read_pair(KEYS[1], m1, KEYS[2], m2)\n"
      + "local ok1, r1 = log_room(a, w, m1, now)\n"
      + "if ok1 then log_add(KEYS[1], a, ARGV[1], m1, now_s) end\n"
      + "local ok2, r2 = log_room(b, w, m2, now)\n"
      + "if ok2 and ARGV[5] == '1' then log_add(KEYS[2], b, ARGV[1], m2, now_s) end\n"
      + "return {ok1 and 1 or 0, r1 or -1, ok2 and 1 or 0, r2 or -1}\n";
  /** Above this many slots a log is read and written by ranges (LOG_WHOLE_MAX), at or below it whole. */
  private static final int WHOLE_MAX = 1024;
  static RedisServer redis;
  static String pairScript;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServer.startNew();
    try (InputStream in = HitLogScriptTest.class.getClassLoader().getResourceAsStream("lua/lib/hit_log.lua")) {
      pairScript = new String(in.readAllBytes(), StandardCharsets.UTF_8) + PAIR_BODY;
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static String[] pair(String k1, String k2, long window, int max1, int max2, long now, boolean addSecond) {
    return redis.cli("EVAL", pairScript, "2", k1, k2, Long.toString(window), Integer.toString(max1),
        Integer.toString(max2), Long.toString(now), addSecond ? "1" : "0").split("\n");
  }

  @Test
  void wholeLogsCountAsLogsOfEveryHit() {
    walk(new int[][] {{3, 2}, {1, 7}, {5, 3}}, 400, 1000, 40, 700, false);
  }

  /** One log above WHOLE_MAX (a lifted limit): checked by one range, grown by APPEND, then cut once full. */
  @Test
  void largeLogsCountAsLogsOfEveryHitToo() {
    // every hit also counted in the second log, so that both fill; a log's TTL is real time (3 s after
    // its last hit), the test's clock is not: each hit comes well within that
    walk(new int[][] {{WHOLE_MAX, WHOLE_MAX + 1}, {WHOLE_MAX + 1, 3}}, 3000, 3000, 1, 12, true);
  }

  private static void walk(int[][] maxPairs, int hits, long window, int burstStep, int pauseStep, boolean addAlways) {
    Random random = new Random(5);
    for (int[] maxes : maxPairs) {
      String k1 = "test:log:a:" + maxes[0] + ":" + maxes[1];
      String k2 = "test:log:b:" + maxes[0] + ":" + maxes[1];
      List<Long> log1 = new ArrayList<>();
      List<Long> log2 = new ArrayList<>();
      long now = 1_796_000_000_000L;
      int refused1 = 0;
      int refused2 = 0;
      for (int i = 0; i < hits; i++) {
        now += random.nextInt(10) < 7 ? random.nextInt(burstStep) : random.nextInt(pauseStep); // bursts and pauses
        boolean add = addAlways || random.nextInt(3) > 0;
        long since = now - window;
        List<Long> in1 = log1.stream().filter(t -> t > since).toList();
        List<Long> in2 = log2.stream().filter(t -> t > since).toList();
        String[] r = pair(k1, k2, window, maxes[0], maxes[1], now, add);
        if (in1.size() < maxes[0]) {
          assertEquals("1", r[0], "first log, hit " + i + ": " + in1.size() + " in the window");
          log1.add(now);
        } else {
          assertEquals("0", r[0], "first log, hit " + i + ": " + in1.size() + " in the window");
          assertEquals(in1.get(in1.size() - maxes[0]) + window - now, Long.parseLong(r[1]), "retry after, hit " + i);
          refused1++;
        }
        if (in2.size() < maxes[1]) {
          assertEquals("1", r[2], "second log, hit " + i);
          if (add) {
            log2.add(now);
          }
        } else {
          assertEquals("0", r[2], "second log, hit " + i);
          assertEquals(in2.get(in2.size() - maxes[1]) + window - now, Long.parseLong(r[3]), "retry after, hit " + i);
          refused2++;
        }
      }
      assertTrue(refused1 > 5 && refused2 > 5, "the walk reaches both limits: " + refused1 + ", " + refused2);
      if (maxes[0] <= WHOLE_MAX) {
        assertTrue(redis.cli("STRLEN", k1).trim().equals(Integer.toString(13 * maxes[0])), "a whole log keeps max hits");
      }
    }
  }

  @Test
  void aLoweredMaxCountsTheNewestHitsAndARaisedOneHasRoom() {
    long now = 1_796_000_000_000L;
    String k = "test:log:re";
    for (int i = 0; i < 5; i++) {
      assertEquals("1", pair(k, "test:log:re2", 1000, 5, 5, now + i, false)[0]);
    }
    assertEquals("0", pair(k, "test:log:re2", 1000, 5, 5, now + 5, false)[0]);
    String[] lowered = pair(k, "test:log:re2", 1000, 2, 5, now + 6, false);
    assertEquals("0", lowered[0], "max lowered to 2: the newest 2 hits are in the window");
    assertEquals(now + 3 + 1000 - (now + 6), Long.parseLong(lowered[1]), "retry after from the 2nd newest hit");
    assertEquals("1", pair(k, "test:log:re2", 1000, 7, 5, now + 7, false)[0], "max raised to 7: room");
    assertEquals("1", pair(k, "test:log:re2", 1000, 2, 5, now + 1005, false)[0], "max 2 again, after the window");
    assertEquals(Integer.toString(13 * 2), redis.cli("STRLEN", k).trim(), "the longer log was cut to 2");
  }

  @Test
  void aValueOfAnotherTypeIsReplaced() {
    long now = 1_796_000_000_000L;
    for (int max : new int[] {2, WHOLE_MAX + 1}) {
      String k = "test:log:zset:" + max;
      redis.cli("ZADD", k, "1", "a"); // an older limiter's sorted set
      assertEquals("1", pair(k, "test:log:other:" + max, 1000, max, max, now, false)[0]);
      assertEquals("string", redis.cli("TYPE", k).trim());
      assertEquals(Long.toString(now), redis.cli("GET", k).trim());
    }
  }
}
