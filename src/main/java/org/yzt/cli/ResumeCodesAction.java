package org.yzt.cli;

import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import org.yzt.store.Shard;

/** {@code admin resume-codes}: ends a pause of code texts on every node at once (SPEC §10). */
final class ResumeCodesAction implements AdminAction {
  @Override
  public String name() {
    return "resume-codes";
  }

  @Override
  public List<String> usage() {
    return List.of("resume-codes              send code texts again after pause-codes");
  }

  @Override
  public Future<List<String>> run(List<String> args, AdminSession session) {
    if (!args.isEmpty()) {
      throw new CliContext.UsageError("admin resume-codes takes no arguments");
    }
    // one DEL per shard's copy of the flag (each in its own slot on a Redis Cluster)
    List<Future<Response>> deleted = new ArrayList<>();
    for (Shard s : session.keys.shards(false)) {
      deleted.add(session.api.del(List.of(s.codesPaused())));
    }
    return Future.all(deleted).map(all -> {
      boolean was = deleted.stream().anyMatch(f -> f.result().toLong() > 0);
      return List.of(was ? "OK code texts resumed" : "OK code texts were not paused");
    });
  }
}
