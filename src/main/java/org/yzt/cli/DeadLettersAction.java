package org.yzt.cli;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.yzt.config.RedisConfig;
import org.yzt.pipeline.DeadLetters;

/**
 * {@code admin dead-letters list | redrive ID | redrive-all} (SPEC §11): one line per entry, the
 * number masked and nothing else personal; a re-driven job starts again from ACCEPTED.
 */
final class DeadLettersAction implements AdminAction {
  @Override
  public String name() {
    return "dead-letters";
  }

  @Override
  public List<String> usage() {
    return List.of(
        "dead-letters list         dead-lettered jobs: entry id, query id, stage, time, masked number",
        "dead-letters redrive ID   re-run one dead-lettered job (ID from list)",
        "dead-letters redrive-all  re-run every dead-lettered job");
  }

  @Override
  public Future<List<String>> run(List<String> args, AdminSession session) {
    String verb = args.isEmpty() ? "" : args.get(0);
    int expected = "redrive".equals(verb) ? 2 : 1;
    if (!List.of("list", "redrive", "redrive-all").contains(verb) || args.size() != expected) {
      throw new CliContext.UsageError("usage: admin dead-letters list | redrive ID | redrive-all");
    }
    DeadLetters letters = new DeadLetters(session.redis, session.personalData, session.keys,
        RedisConfig.from(session.config).commandTimeoutMs());
    return switch (verb) {
      case "list" -> letters.all().map(all -> {
        List<String> lines = new ArrayList<>();
        all.forEach(l -> lines.add(l.line()));
        lines.add(all.size() + " dead-lettered jobs");
        return lines;
      });
      case "redrive" -> letters.redrive(args.get(1)).map(r -> {
        if ("MISSING".equals(r)) {
          throw new CliContext.CliFailure("no dead-lettered job " + args.get(1));
        }
        return List.of(r + " " + args.get(1));
      });
      default -> letters.all().compose(all -> redriveEach(letters, all, 0, new ArrayList<>()));
    };
  }

  private static Future<List<String>> redriveEach(DeadLetters letters, List<DeadLetters.Letter> all, int i,
      List<String> lines) {
    if (i == all.size()) {
      lines.add(lines.size() + " dead-lettered jobs handled");
      return Future.succeededFuture(lines);
    }
    DeadLetters.Letter l = all.get(i);
    return letters.redrive(l.id()).compose(r -> {
      lines.add(r + " " + l.id() + " query=" + l.queryId());
      return redriveEach(letters, all, i + 1, lines);
    });
  }
}
