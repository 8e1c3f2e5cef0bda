package org.yzt.cli;

import io.vertx.core.Future;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.yzt.store.Shard;

/**
 * {@code admin pause-codes [--minutes N]}: stops code texts on every node at once (SPEC §10). The
 * flag lives in Redis and the code-issuing script reads it on every request, so every node sees it
 * at the next request; with {@code --minutes} it expires by itself.
 */
final class PauseCodesAction implements AdminAction {
  /** A week: a longer pause is an outage, and should be an open-ended one that someone resumes. */
  static final long MAX_MINUTES = 7L * 24 * 60;

  @Override
  public String name() {
    return "pause-codes";
  }

  @Override
  public List<String> usage() {
    return List.of("pause-codes [--minutes N] stop code texts on every node (POST /api/v1/sms-codes answers 503)");
  }

  @Override
  public Future<List<String>> run(List<String> args, AdminSession session) {
    Long minutes = minutes(args);
    if (minutes == null) {
      return everyShard(session, key -> List.of(key, Instant.now().toString()))
          .map(r -> List.of("OK code texts paused until admin resume-codes"));
    }
    Instant until = Instant.now().plus(minutes, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
    return everyShard(session, key -> List.of(key, until.toString(), "PX", Long.toString(minutes * 60_000)))
        .map(r -> List.of("OK code texts paused for " + minutes + " minutes, until " + until));
  }

  /**
   * Sets the pause flag's copy in every shard (each number's code script reads its shard's copy, in
   * its own slot on a Redis Cluster), every copy before the answer.
   */
  private static Future<Void> everyShard(AdminSession session, Function<String, List<String>> setArgs) {
    List<Future<?>> all = new ArrayList<>();
    for (Shard s : session.keys.shards(false)) {
      all.add(session.api.set(setArgs.apply(s.codesPaused())));
    }
    return Future.all(all).mapEmpty();
  }

  /** The pause length, or null for an open-ended pause. */
  private static Long minutes(List<String> args) {
    if (args.isEmpty()) {
      return null;
    }
    if (args.size() != 2 || !"--minutes".equals(args.get(0))) {
      throw new CliContext.UsageError("usage: admin pause-codes [--minutes N]");
    }
    try {
      long n = Long.parseLong(args.get(1));
      if (n >= 1 && n <= MAX_MINUTES) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CliContext.UsageError("--minutes takes a whole number from 1 to " + MAX_MINUTES);
  }
}
