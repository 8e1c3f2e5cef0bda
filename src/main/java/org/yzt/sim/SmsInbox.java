package org.yzt.sim;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yzt.config.SimulatorsConfig;

/**
 * What the SMS simulator received, one object per process ({@code AppContext.shared}) shared by all
 * simulator instances and reachable from tests. Bounded so a long dev run cannot eat the heap: the
 * newest {@code perNumber} texts of each number, at most {@code maxNumbers} numbers and
 * {@code maxMessages} texts in all (the numbers written to least recently go first). A messageId
 * seen before is the same message and is not stored again (remembered for the last
 * {@code maxMessages} distinct ids).
 *
 * <p>Fault injection for tests, off by default: {@link #failNext} and {@link #stallNext}.
 */
public final class SmsInbox {
  /** One received text. */
  public record Sms(String messageId, String sender, String to, String text, long receivedAtMs) {
    public JsonObject toJson() {
      return new JsonObject().put("messageId", messageId).put("sender", sender).put("text", text)
          .put("receivedAt", Instant.ofEpochMilli(receivedAtMs).toString());
    }
  }

  /** What the simulator does with one request instead of accepting it at once. */
  public record Fault(int status, long stallMs) {}

  private static final int REQUEST_LOG = 1000;

  private final int perNumber;
  private final int maxNumbers;
  private final int maxMessages;
  /** Numbers in the order they were last written to; each deque newest first. */
  private final LinkedHashMap<String, Deque<Sms>> byPhone = new LinkedHashMap<>();
  private final LinkedHashMap<String, Boolean> seenIds;
  private int total;
  private final Deque<int[]> failures = new ArrayDeque<>();
  /** The number each entry of {@link #failures} is for (null: any number), in the same order. */
  private final Deque<String> failureTargets = new ArrayDeque<>();
  private final Deque<long[]> stalls = new ArrayDeque<>();
  /** The messageIds of the last authenticated, well-formed requests, faults included (newest last). */
  private final Deque<String> requestLog = new ArrayDeque<>();
  /** The messageIds of the last requests whose answer is done (stored, a repeat, a fault, or abandoned), newest last. */
  private final Deque<String> endLog = new ArrayDeque<>();
  private long requests;

  public SmsInbox(int perNumber, int maxNumbers, int maxMessages) {
    this.perNumber = Math.max(1, perNumber);
    this.maxNumbers = Math.max(1, maxNumbers);
    this.maxMessages = Math.max(this.perNumber, maxMessages);
    int seenMax = this.maxMessages;
    this.seenIds = new LinkedHashMap<>(16, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > seenMax;
      }
    };
  }

  public static SmsInbox fromConfig(SimulatorsConfig simulators) {
    return new SmsInbox(simulators.inboxPerNumber(), simulators.inboxMaxNumbers(), simulators.inboxMaxMessages());
  }

  /** Stores a text unless its messageId was seen before; true when stored. */
  public synchronized boolean accept(String messageId, String sender, String to, String text, long nowMs) {
    if (seenIds.containsKey(messageId)) {
      return false;
    }
    seenIds.put(messageId, Boolean.TRUE);
    Deque<Sms> list = byPhone.remove(to);
    if (list == null) {
      list = new ArrayDeque<>();
    }
    byPhone.put(to, list); // now the most recently written number
    list.addFirst(new Sms(messageId, sender, to, text, nowMs));
    total++;
    if (list.size() > perNumber) {
      list.removeLast();
      total--;
    }
    Iterator<Map.Entry<String, Deque<Sms>>> eldest = byPhone.entrySet().iterator();
    while ((byPhone.size() > maxNumbers || total > maxMessages) && eldest.hasNext()) {
      Map.Entry<String, Deque<Sms>> e = eldest.next();
      if (e.getKey().equals(to)) {
        break;
      }
      total -= e.getValue().size();
      eldest.remove();
    }
    return true;
  }

  /** The texts received for a number, newest first. */
  public synchronized List<Sms> messages(String phone) {
    Deque<Sms> list = byPhone.get(phone);
    return list == null ? List.of() : new ArrayList<>(list);
  }

  /** Numbers and texts held now (for the bounds' tests). */
  public synchronized int numbers() {
    return byPhone.size();
  }

  public synchronized int size() {
    return total;
  }

  /** Makes the next {@code n} requests answer {@code status} (e.g. 503) without storing anything. */
  public synchronized void failNext(int n, int status) {
    failNextTo(null, n, status);
  }

  /**
   * Makes the next {@code n} requests to {@code phone} answer {@code status}; the texts of other
   * numbers (a pipeline's result texts sent meanwhile) pass untouched. A null phone means any number.
   */
  public synchronized void failNextTo(String phone, int n, int status) {
    if (n > 0) {
      failures.addLast(new int[] {n, status});
      failureTargets.addLast(phone == null ? "" : phone);
    }
  }

  /** Makes the next {@code n} requests wait {@code ms} before they are answered (to provoke client timeouts). */
  public synchronized void stallNext(int n, long ms) {
    if (n > 0) {
      stalls.addLast(new long[] {n, ms});
    }
  }

  /** Removes every pending fault. */
  public synchronized void clearFaults() {
    failures.clear();
    failureTargets.clear();
    stalls.clear();
  }

  /** Records one request and returns the fault it meets, or null for the normal path. */
  synchronized Fault onRequest(String messageId, String to) {
    requests++;
    requestLog.addLast(messageId);
    if (requestLog.size() > REQUEST_LOG) {
      requestLog.removeFirst();
    }
    long stall = 0;
    long[] s = stalls.peekFirst();
    if (s != null) {
      stall = s[1];
      if (--s[0] == 0) {
        stalls.removeFirst();
      }
    }
    int[] f = failures.peekFirst();
    String target = failureTargets.peekFirst();
    if (f != null && (target.isEmpty() || target.equals(to))) {
      if (--f[0] == 0) {
        failures.removeFirst();
        failureTargets.removeFirst();
      }
      return new Fault(f[1], stall);
    }
    return stall > 0 ? new Fault(0, stall) : null;
  }

  /** Authenticated, well-formed requests received so far, faults included. */
  public synchronized long requestCount() {
    return requests;
  }

  /**
   * Records that the answer to a request carrying {@code messageId} is done, after anything it stored: a
   * test waits for this instead of for time to pass (a stalled request that ends late).
   */
  synchronized void onEnd(String messageId) {
    endLog.addLast(messageId);
    if (endLog.size() > REQUEST_LOG) {
      endLog.removeFirst();
    }
  }

  /** How many of the last 1000 requests that ended carried this messageId. */
  public synchronized int endsFor(String messageId) {
    return count(endLog, messageId);
  }

  /** How many of the last 1000 requests carried this messageId. */
  public synchronized int requestsFor(String messageId) {
    return count(requestLog, messageId);
  }

  private static int count(Deque<String> log, String messageId) {
    int n = 0;
    for (String id : log) {
      if (id.equals(messageId)) {
        n++;
      }
    }
    return n;
  }
}
