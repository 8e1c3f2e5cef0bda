package org.yzt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The command line of {@code yzt.jar}: global options ({@code -conf FILE}, {@code -cluster},
 * {@code --help}, {@code --version}), then nothing (run the service) or a subcommand word. A new
 * subcommand is one {@link Subcommand} added to {@link #SUBCOMMANDS}.
 */
public final class Cli {
  static final List<Subcommand> SUBCOMMANDS = List.of(new AdminCommand(), new ConformanceCommand());

  /** What the command line asks for: the service (with its options) or an exit status to end with. */
  public record Parsed(String confFile, boolean cluster, Integer exitStatus) {
    public boolean serve() {
      return exitStatus == null;
    }
  }

  private Cli() {}

  /**
   * Parses {@code args}; runs a subcommand, {@code --help} or {@code --version} to completion and
   * returns its exit status, or returns the options of the service to start.
   */
  public static Parsed parse(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
    Map<String, Subcommand> commands = new LinkedHashMap<>();
    SUBCOMMANDS.forEach(c -> commands.put(c.name(), c));
    String confFile = null;
    boolean cluster = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "-conf", "--conf" -> {
          if (i + 1 >= args.length) {
            err.println("-conf needs a file (see --help)");
            return new Parsed(null, false, Subcommand.USAGE);
          }
          confFile = args[++i];
        }
        case "-cluster", "--cluster" -> cluster = true;
        case "-h", "--help", "help" -> {
          usage(commands, out);
          return new Parsed(confFile, cluster, Subcommand.OK);
        }
        case "-version", "--version" -> {
          out.println("yzt " + version());
          return new Parsed(confFile, cluster, Subcommand.OK);
        }
        default -> {
          Subcommand command = commands.get(a);
          if (command == null) {
            err.println("unknown argument " + a + " (see --help)");
            return new Parsed(confFile, cluster, Subcommand.USAGE);
          }
          List<String> rest = new ArrayList<>(List.of(args).subList(i + 1, args.length));
          return new Parsed(confFile, cluster, command.run(rest, new CliContext(confFile, env, out, err)));
        }
      }
    }
    return new Parsed(confFile, cluster, null);
  }

  static void usage(Map<String, Subcommand> commands, PrintStream out) {
    out.println("usage: java -jar yzt.jar [-conf FILE] [-cluster]            run the service");
    out.println("       java -jar yzt.jar [-conf FILE] COMMAND [ARGS]        run one operator command");
    out.println("       java -jar yzt.jar --help | --version");
    out.println("options:");
    out.println("  -conf FILE   JSON deep-merged over conf/config.json; YZT_<PATH> variables override single values");
    out.println("  -cluster     join the Vert.x cluster of cluster.members (Infinispan/JGroups TCP member list)");
    out.println("commands:");
    commands.values().forEach(c -> c.usage().forEach(u -> out.println("  " + u)));
  }

  /** The project version from the pom, packed into the jar at build time. */
  public static String version() {
    try (InputStream in = Cli.class.getResourceAsStream("/yzt-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version", "unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
