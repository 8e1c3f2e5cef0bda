package org.yzt.cli;

import java.util.List;

/**
 * One word after the global options ({@code admin}, {@code conformance}, …). A subcommand prints
 * one line per result and returns the process exit status: 0 success, 1 a failed check or action,
 * 2 a usage error.
 */
public interface Subcommand {
  int OK = 0;
  int FAILED = 1;
  int USAGE = 2;

  /** The word that selects it. */
  String name();

  /** One or more usage lines, each starting with the word. */
  List<String> usage();

  int run(List<String> args, CliContext context);
}
