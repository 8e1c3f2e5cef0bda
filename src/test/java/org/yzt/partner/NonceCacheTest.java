package org.yzt.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The compact nonce cache against the plain model it replaces (a map and a deque of strings), use by
 * use, over enough nonces and time for its table to grow and entries to expire out of the middle of
 * probe runs; nonces are drawn from a small pool so that replays and re-acceptances after the window
 * happen often.
 */
class NonceCacheTest {
  /** The reference: what the cache must answer. */
  static final class Model {
    final int max;
    final Map<String, Long> live = new HashMap<>();
    final Deque<Object[]> order = new ArrayDeque<>();

    Model(int max) {
      this.max = max;
    }

    NonceCache.Use firstUse(String nonce, long ts, long now) {
      while (!order.isEmpty() && (Long) order.peekFirst()[1] < now) {
        Object[] e = order.removeFirst();
        live.remove((String) e[0], e[1]);
      }
      Long at = live.get(nonce);
      if (at != null && at >= now) {
        return NonceCache.Use.REPLAYED;
      }
      if (at == null && live.size() >= max) {
        return NonceCache.Use.FULL;
      }
      long forget = ts + RequestSigner.MAX_SKEW_MS;
      live.put(nonce, forget);
      order.addLast(new Object[] {nonce, forget});
      return NonceCache.Use.FIRST;
    }
  }

  @Test
  void answersAsTheMapAndDequeDidUseByUse() {
    for (long seed = 1; seed <= 3; seed++) {
      Random r = new Random(seed);
      int max = seed == 3 ? 300 : 50_000; // the last run also meets a full cache
      NonceCache cache = new NonceCache(max);
      Model model = new Model(max);
      String[] pool = new String[4000];
      for (int i = 0; i < pool.length; i++) {
        pool[i] = seed == 2 && i % 7 == 0 ? "not-hex-" + i : String.format("%016x%016x", r.nextLong(), r.nextLong());
      }
      long now = 1_700_000_000_000L;
      for (int i = 0; i < 60_000; i++) {
        now += r.nextInt(40); // ~20 ms apart: the window turns over several times
        String nonce = pool[r.nextInt(pool.length)];
        long ts = now + r.nextInt(600_001) - 300_000; // anywhere within the 5-minute skew
        assertEquals(model.firstUse(nonce, ts, now), cache.firstUse(nonce, ts, now), "use " + i + " of run " + seed);
        assertEquals(model.live.size(), cache.size(), "size after use " + i + " of run " + seed);
      }
    }
  }

  @Test
  void aHexNonceIsItsOwn128BitsAndOthersAreHashed() {
    String n = "0123456789abcdef" + "fedcba9876543210";
    assertEquals(0x0123456789abcdefL, NonceCache.high(n));
    assertEquals(0xfedcba9876543210L, NonceCache.low(n));
    assertEquals(NonceCache.high("x-1"), NonceCache.high("x-1"));
    org.junit.jupiter.api.Assertions.assertNotEquals(NonceCache.high("x-1"), NonceCache.high("x-2"));
    org.junit.jupiter.api.Assertions.assertNotEquals(NonceCache.low("x-1"), NonceCache.high("x-1"));
  }
}
