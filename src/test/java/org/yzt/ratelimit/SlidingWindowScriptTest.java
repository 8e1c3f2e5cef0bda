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
 * The per-client limiter of lua/lib/sliding_window.lua against a log of every hit (what SPEC §5 means
 * by a sliding window: at most max hits in any windowSeconds), hit by hit, on a real Redis with the
 * clock in the test's hands: the same hits are counted, the same refused, with the same Retry-After
 * and the same remaining count.
 */
class SlidingWindowScriptTest {
  private static final String BODY = "\nlocal ok, v = sliding_window_hit(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), 'm',"
      + " tonumber(ARGV[3]), ARGV[4] == '1')\nreturn {ok and 1 or 0, v or -1}\n";
  /** ring_room, then ring_add only when ARGV[4] is '1' (as the wrong-code ring: checked always, counted on a failure). */
  private static final String ROOM_BODY = "\nlocal st = ring_read(KEYS[1], tonumber(ARGV[2]))\n"
      + "local ok, retry = ring_room(KEYS[1], st, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]))\n"
      + "if ok and ARGV[4] == '1' then ring_add(KEYS[1], st, tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])) end\n"
      + "return {ok and 1 or 0, retry or -1}\n";
  /** Above this many slots the ring is read and written by ranges (RING_WHOLE_MAX), at or below it whole. */
  private static final int WHOLE_MAX = 1024;
  static RedisServer redis;
  static String script;
  static String roomScript;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServer.startNew();
    try (InputStream in = SlidingWindowScriptTest.class.getClassLoader().getResourceAsStream("lua/lib/sliding_window.lua")) {
      String lib = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      script = lib + BODY;
      roomScript = lib + ROOM_BODY;
    }
  }

  @AfterAll
  static void stop() {
    redis.close();
  }

  private static long[] hit(String key, long window, int max, long now) {
    String[] reply = redis.cli("EVAL", script, "1", key, Long.toString(window), Integer.toString(max),
        Long.toString(now), "1").split("\n");
    return new long[] {Long.parseLong(reply[0]), Long.parseLong(reply[1])};
  }

  @Test
  void countsExactlyAsALogOfEveryHit() {
    walk(new int[] {1, 3, 7}, 300, 1000, 60, 900);
  }

  /** A ring above WHOLE_MAX slots (a lifted limit) takes the other path: by ranges, never copied whole. */
  @Test
  void aLargeRingCountsExactlyAsALogOfEveryHitToo() {
    // the window is longer than the test runs: a ring's TTL is real time, the test's clock is not
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
  void roomCountsNothingAndAddCountsAsALogWouldOnBothPaths() {
    Random random = new Random(7);
    for (int max : new int[] {1, 3, WHOLE_MAX + 1}) {
      String key = "test:room:" + max;
      long window = max > 3 ? 60_000 : 1000; // longer than the test runs (a ring's TTL is real time)
      List<Long> added = new ArrayList<>();
      long now = 1_796_000_000_000L;
      int refused = 0;
      for (int i = 0; i < (max > 3 ? 4000 : 300); i++) {
        now += max > 3 ? random.nextInt(20) : random.nextInt(10) < 7 ? random.nextInt(60) : random.nextInt(900);
        boolean add = random.nextBoolean();
        long since = now - window;
        List<Long> inWindow = added.stream().filter(t -> t > since).toList();
        String[] reply = redis.cli("EVAL", roomScript, "1", key, Long.toString(window), Integer.toString(max),
            Long.toString(now), add ? "1" : "0").split("\n");
        if (inWindow.size() < max) {
          assertEquals("1", reply[0], "room at " + i + ": " + inWindow.size() + " in the window");
          if (add) {
            added.add(now);
          }
        } else {
          assertEquals("0", reply[0], "no room at " + i + ": " + inWindow.size() + " in the window");
          assertEquals(inWindow.get(inWindow.size() - max) + window - now, Long.parseLong(reply[1]), "retry after at " + i);
          refused++;
        }
      }
      assertTrue(refused > 5, "the walk reaches the limit: " + refused + " refused");
    }
  }

  @Test
  void aMaxMovedAcrossThePathsStartsAfresh() {
    long now = 1_796_000_000_000L;
    for (int max : new int[] {2, WHOLE_MAX + 2, 2}) {
      String key = "test:rl:across";
      for (int i = 0; i < max; i++) {
        assertEquals(1, hit(key, 1000, max, now)[0], "hit " + i + " of max " + max);
      }
      assertEquals(0, hit(key, 1000, max, now)[0], "max " + max + " reached");
    }
  }

  @Test
  void aReconfiguredMaxOrAnOldSortedSetStartsAfresh() {
    long now = 1_796_000_000_000L;
    assertEquals(1, hit("test:rl:re", 1000, 2, now)[0]);
    assertEquals(1, hit("test:rl:re", 1000, 2, now)[0]);
    assertEquals(0, hit("test:rl:re", 1000, 2, now)[0]);
    assertEquals(1, hit("test:rl:re", 1000, 5, now)[0], "max raised: a new ring");
    redis.cli("ZADD", "test:rl:zset", "1", "a");
    assertEquals(1, hit("test:rl:zset", 1000, 2, now)[0], "the previous limiter's sorted set is replaced");
    assertEquals("string", redis.cli("TYPE", "test:rl:zset").trim());
  }
}
