package org.yzt.cli;

import io.vertx.core.Future;
import java.util.List;
import org.yzt.common.RedisKeys;

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
    return session.api.del(List.of(RedisKeys.CODES_PAUSED))
        .map(r -> List.of(r.toLong() > 0 ? "OK code texts resumed" : "OK code texts were not paused"));
  }
}
