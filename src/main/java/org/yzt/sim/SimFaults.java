package org.yzt.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Fault injection for the carrier and enterprise simulators, shared by every simulator instance of
 * a process ({@code ctx.shared(SimFaults.class, SimFaults::new)}), and a count of the requests each
 * simulated peer received per number, for tests. A target is {@code "carrier:<id>"} or
 * {@code "enterprise:<id>"}; a fault applies to one number, or to every number when phone is null.
 * Scripted faults are used once each, in order; a standing fault applies until cleared.
 */
public final class SimFaults {
  /** What the simulated peer does instead of (or before) answering normally. */
  public enum Kind {
    /** Answer with this HTTP status and an empty JSON object. */
    STATUS,
    /** Never answer. */
    HANG,
    /** Answer 200 with a body outside the protocol. */
    MALFORMED,
    /** Answer normally after {@code delayMs}. */
    DELAY
  }

  public record Fault(Kind kind, int status, long delayMs) {
    public static Fault status(int status) {
      return new Fault(Kind.STATUS, status, 0);
    }

    public static Fault hang() {
      return new Fault(Kind.HANG, 0, 0);
    }

    public static Fault malformed() {
      return new Fault(Kind.MALFORMED, 0, 0);
    }

    public static Fault delay(long ms) {
      return new Fault(Kind.DELAY, 0, ms);
    }
  }

  private final Map<String, Deque<Fault>> scripted = new HashMap<>();
  private final Map<String, Fault> standing = new HashMap<>();
  /**
   * Request counts per (target, number), for tests: bounded, least recently counted first out, so a
   * long dev run or a benchmark does not grow the heap by a map entry per peer and number (nine per
   * query, ~1.2 KB).
   */
  static final int MAX_COUNTED = 50_000;
  private final Map<String, Integer> requests = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
      return size() > MAX_COUNTED;
    }
  };

  private static String key(String target, String phone) {
    return target + "|" + (phone == null ? "*" : phone);
  }

  /** The next requests of {@code target} for {@code phone} (null: any number) meet these faults, once each. */
  public synchronized SimFaults script(String target, String phone, Fault... faults) {
    Deque<Fault> q = scripted.computeIfAbsent(key(target, phone), k -> new ArrayDeque<>());
    for (Fault f : faults) {
      q.addLast(f);
    }
    return this;
  }

  /** Every request of {@code target} for {@code phone} (null: any number) meets {@code fault} until cleared. */
  public synchronized SimFaults always(String target, String phone, Fault fault) {
    if (fault == null) {
      standing.remove(key(target, phone));
    } else {
      standing.put(key(target, phone), fault);
    }
    return this;
  }

  /** "peer|traceId" of the calls that carried a W3C traceparent (peer: carrier, enterprise, sms), newest last. */
  static final int MAX_TRACES = 1000;
  private final Deque<String> traces = new ArrayDeque<>();

  synchronized void sawTraceparent(String path, String traceparent) {
    String[] parts = traceparent.split("-");
    String[] segments = path.split("/");
    if (parts.length == 4 && parts[1].length() == 32 && segments.length > 1) {
      traces.addLast(segments[1] + "|" + parts[1]);
      if (traces.size() > MAX_TRACES) {
        traces.removeFirst();
      }
    }
  }

  /**
   * Whether a call of trace {@code traceId} reached a simulated {@code peer} ("carrier", "enterprise",
   * "sms"): a real partner may join the trace.
   */
  public synchronized boolean reachedBy(String peer, String traceId) {
    return traces.contains(peer + "|" + traceId);
  }

  public synchronized void clear() {
    scripted.clear();
    standing.clear();
    requests.clear();
  }

  /**
   * Requests {@code target} received for {@code phone} (signed correctly), faults included; 0 once
   * {@link #MAX_COUNTED} other pairs have been counted since.
   */
  public synchronized int requests(String target, String phone) {
    return requests.getOrDefault(key(target, phone), 0);
  }

  /** Counts a request and answers the fault it meets, or null to answer normally. */
  synchronized Fault next(String target, String phone) {
    String forNumber = key(target, phone);
    requests.merge(forNumber, 1, Integer::sum);
    if (scripted.isEmpty() && standing.isEmpty()) {
      return null; // no test set a fault: the usual case, and a benchmark's
    }
    String forAny = key(target, null);
    for (String k : new String[] {forNumber, forAny}) {
      Deque<Fault> q = scripted.get(k);
      if (q != null && !q.isEmpty()) {
        return q.pollFirst();
      }
    }
    Fault f = standing.get(forNumber);
    return f != null ? f : standing.get(forAny);
  }
}
