package org.yzt.partner;

/**
 * The nonces a receiver has accepted (SPEC §4: a nonce accepted within the last 10 minutes is
 * refused). A nonce is remembered until its request's timestamp is more than
 * {@link RequestSigner#MAX_SKEW_MS} in the past: from then on the timestamp check alone refuses a
 * replay, and since an accepted timestamp is at most 5 minutes ahead, that is never more than 10
 * minutes after acceptance. Memory is bounded twice: by the rate of accepted requests over 10
 * minutes, and by {@code maxEntries}; a full cache refuses new nonces (fails closed) rather than
 * forgetting live ones. Thread-safe: one cache serves every event loop of a receiver.
 *
 * <p>Compact, since a busy receiver holds hundreds of thousands: a nonce of SPEC §4 is 32 hex
 * digits, kept as its 128 bits (two longs) in an open-addressing table, with the acceptance order
 * in a ring of the same longs — 70 to 100 bytes a nonce instead of ~150 for strings in a map and a
 * deque, and no objects for the collector to trace.
 * Anything else (never accepted by {@link SignatureVerifier}) is reduced to 128 bits by two hashes.
 */
public final class NonceCache {
  /** What became of a nonce offered to {@link #firstUse}. */
  public enum Use {
    /** Not seen within its window: remembered now. */
    FIRST,
    /** Accepted before, and still within its window. */
    REPLAYED,
    /** The cache holds {@code maxEntries} live nonces. */
    FULL
  }

  private final int maxEntries;
  // the table: slot i holds (hi[i], lo[i]) forgotten after forgetAt[i]; forgetAt 0 marks a free slot
  private long[] hi = new long[64];
  private long[] lo = new long[64];
  private long[] forgetAt = new long[64];
  private int size;
  // acceptance order, a ring: every entry is gone at most 10 minutes after it was added
  private long[] orderHi = new long[16];
  private long[] orderLo = new long[16];
  private long[] orderForgetAt = new long[16];
  private int head;
  private int queued;

  public NonceCache(int maxEntries) {
    this.maxEntries = Math.max(1, maxEntries);
  }

  /** Remembers {@code nonce} of a request signed at {@code timestampMs}, unless it is a replay. */
  public synchronized Use firstUse(String nonce, long timestampMs, long nowMs) {
    expire(nowMs);
    long h = high(nonce);
    long l = low(nonce);
    int slot = find(h, l);
    if (slot >= 0 && forgetAt[slot] >= nowMs) {
      return Use.REPLAYED;
    }
    if (slot < 0 && size >= maxEntries) {
      return Use.FULL;
    }
    long at = Math.max(1, timestampMs + RequestSigner.MAX_SKEW_MS);
    if (slot >= 0) {
      forgetAt[slot] = at; // re-accepted after its window: a newer entry further back in the ring
    } else {
      insert(h, l, at);
    }
    enqueue(h, l, at);
    return Use.FIRST;
  }

  /** Nonces held now (for the bound's test). */
  public synchronized int size() {
    return size;
  }

  private void expire(long nowMs) {
    while (queued > 0 && orderForgetAt[head] < nowMs) {
      int slot = find(orderHi[head], orderLo[head]);
      // only the nonce's latest acceptance removes it
      if (slot >= 0 && forgetAt[slot] == orderForgetAt[head]) {
        remove(slot);
      }
      head = (head + 1) % orderHi.length;
      queued--;
    }
  }

  private int find(long h, long l) {
    int mask = hi.length - 1;
    for (int i = index(h, l, mask); forgetAt[i] != 0; i = (i + 1) & mask) {
      if (hi[i] == h && lo[i] == l) {
        return i;
      }
    }
    return -1;
  }

  private void insert(long h, long l, long at) {
    if ((size + 1) * 2 > hi.length) {
      rehash(hi.length * 2);
    }
    int mask = hi.length - 1;
    int i = index(h, l, mask);
    while (forgetAt[i] != 0) {
      i = (i + 1) & mask;
    }
    hi[i] = h;
    lo[i] = l;
    forgetAt[i] = at;
    size++;
  }

  /** Linear probing's deletion: later entries of the run move back so that no look-up stops early. */
  private void remove(int slot) {
    int mask = hi.length - 1;
    int free = slot;
    forgetAt[free] = 0;
    size--;
    for (int i = (free + 1) & mask; forgetAt[i] != 0; i = (i + 1) & mask) {
      int home = index(hi[i], lo[i], mask);
      // the entry at i may fill the hole unless its home lies cyclically in (free, i]
      boolean stays = free <= i ? (home > free && home <= i) : (home > free || home <= i);
      if (!stays) {
        hi[free] = hi[i];
        lo[free] = lo[i];
        forgetAt[free] = forgetAt[i];
        forgetAt[i] = 0;
        free = i;
      }
    }
  }

  private void rehash(int capacity) {
    long[] oldHi = hi;
    long[] oldLo = lo;
    long[] oldAt = forgetAt;
    hi = new long[capacity];
    lo = new long[capacity];
    forgetAt = new long[capacity];
    size = 0;
    for (int i = 0; i < oldHi.length; i++) {
      if (oldAt[i] != 0) {
        insert(oldHi[i], oldLo[i], oldAt[i]);
      }
    }
  }

  private void enqueue(long h, long l, long at) {
    if (queued == orderHi.length) {
      int n = orderHi.length * 2;
      long[] nh = new long[n];
      long[] nl = new long[n];
      long[] na = new long[n];
      for (int k = 0; k < queued; k++) {
        int j = (head + k) % orderHi.length;
        nh[k] = orderHi[j];
        nl[k] = orderLo[j];
        na[k] = orderForgetAt[j];
      }
      orderHi = nh;
      orderLo = nl;
      orderForgetAt = na;
      head = 0;
    }
    int tail = (head + queued) % orderHi.length;
    orderHi[tail] = h;
    orderLo[tail] = l;
    orderForgetAt[tail] = at;
    queued++;
  }

  private static int index(long h, long l, int mask) {
    long x = h * 0x9E3779B97F4A7C15L ^ l;
    return (int) (x ^ (x >>> 29)) & mask;
  }

  private static boolean isHex32(String s) {
    if (s.length() != 32) {
      return false;
    }
    for (int i = 0; i < 32; i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static long high(String nonce) {
    return isHex32(nonce) ? Long.parseUnsignedLong(nonce.substring(0, 16), 16) : mix(nonce, 0x243F6A8885A308D3L);
  }

  static long low(String nonce) {
    return isHex32(nonce) ? Long.parseUnsignedLong(nonce.substring(16), 16) : mix(nonce, 0x13198A2E03707344L);
  }

  /** A 64-bit hash of {@code s} from {@code seed}; two seeds give a 128-bit key for a nonce that is not hex. */
  private static long mix(String s, long seed) {
    long x = seed ^ s.length();
    for (int i = 0; i < s.length(); i++) {
      x = (x ^ s.charAt(i)) * 0x100000001B3L;
      x ^= x >>> 31;
    }
    return x ^ (x >>> 33);
  }
}
