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
  static RedisServer redis;
  static String script;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServer.startNew();
    try (InputStream in = SlidingWindowScriptTest.class.getClassLoader().getResourceAsStream("lua/lib/sliding_window.lua")) {
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8) + BODY;
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
    Random random = new Random(11);
    for (int max : new int[] {1, 3, 7}) {
      String key = "test:rl:" + max;
      long window = 1000;
      List<Long> accepted = new ArrayList<>();
      long now = 1_796_000_000_000L;
      int refused = 0;
      for (int i = 0; i < 300; i++) {
        now += random.nextInt(10) < 7 ? random.nextInt(60) : random.nextInt(900); // bursts and pauses
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
      assertTrue(refused > 10 && refused < 290, "the walk exercises both answers: " + refused + " refused");
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
