package org.yzt.cli;

import io.vertx.core.Future;
import java.util.List;

/**
 * One {@code admin} action ({@code pause-codes}, {@code dead-letters}, …): works on the service's
 * Redis through an {@link AdminSession} and completes with the lines to print (one per result).
 * A failed future is printed as one line and exits 1; a {@link CliContext.UsageError} exits 2.
 */
public interface AdminAction {
  /** The word after {@code admin}. */
  String name();

  /** Usage lines, each without the leading {@code admin}. */
  List<String> usage();

  Future<List<String>> run(List<String> args, AdminSession session);
}
