package org.yzt.frontdoor;

import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.yzt.store.RedisKeys;
import org.yzt.store.Shard;

/**
 * New queries before they are stored, for both query routes: an id naming the number's shard (SPEC §11),
 * the time, the deadline to the second and the answer of SPEC §2.3 the query will get.
 */
final class QueryDrafts {
  /** A new query before it is stored: its id, the time, its deadline (to the second) and the answer it will get. */
  record Draft(String queryId, long now, long deadline, JsonObject answer) {}

  private final long deadlineMs;
  private final String sender;
  /** Dates the query: its deadline and the "now" of its limit windows (the scripts take it as an argument). */
  private final Clock clock;

  QueryDrafts(long deadlineMs, String sender, Clock clock) {
    this.deadlineMs = deadlineMs;
    this.clock = clock;
    this.sender = sender;
  }

  long deadlineMs() {
    return deadlineMs;
  }

  /** A draft for a query of a number of {@code shard}: its id names the shard (SPEC §11). */
  Draft draft(Shard shard) {
    return draft(shard, deadlineMs);
  }

  /** {@link #draft(Shard)} with a deadline {@code deadlineMs} from now (the tests' seam for jobs that must end in seconds). */
  Draft draft(Shard shard, long deadlineMs) {
    String queryId = RedisKeys.queryId(shard);
    long now = clock.millis();
    long deadline = (now + deadlineMs) / 1000 * 1000; // to the second, as the answer shows it
    JsonObject answer = new JsonObject()
        .put("queryId", queryId)
        .put("status", "ACCEPTED")
        .put("senderNumber", sender)
        .put("deadline", deadlineIso(deadline));
    return new Draft(queryId, now, deadline, answer);
  }

  /** The last deadline written out (one reference: safe from any thread): it changes once a second. */
  private record Written(long ms, String iso) {}

  private Written lastDeadline = new Written(Long.MIN_VALUE, "");

  String deadlineIso(long deadline) {
    Written last = lastDeadline;
    if (last.ms() != deadline) {
      last = new Written(deadline, iso(deadline));
      lastDeadline = last;
    }
    return last.iso();
  }

  static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
