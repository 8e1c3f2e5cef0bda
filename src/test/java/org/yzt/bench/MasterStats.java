package org.yzt.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yzt.testing.RedisProcess;

/**
 * What each Redis (each master of a cluster) spent, by INFO cpu and by INFO commandstats, between two
 * snapshots: {@code bench/flow.sh} prints it per master for the idle second and for the whole run, so
 * the cluster's extra Redis CPU per flow can be put on a command, a master, or on neither (the event
 * loop, the network, the cluster bus, replication: CPU no command's clock counts).
 */
final class MasterStats {
  private static final Pattern STAT = Pattern.compile("^cmdstat_([a-z|]+):calls=(\\d+),usec=(\\d+)");

  /** One snapshot of one server. */
  record Snapshot(double cpuSeconds, Map<String, long[]> commands, long wakeups, long netBytes) {}

  private MasterStats() {}

  static List<Snapshot> take(List<RedisProcess> servers) {
    List<Snapshot> out = new ArrayList<>();
    for (RedisProcess s : servers) {
      out.add(of(s.cli("INFO", "cpu"), s.cli("INFO", "commandstats"), s.cli("INFO", "server"), s.cli("INFO", "stats")));
    }
    return out;
  }

  /**
   * {@code serverInfo} gives the process id, whose voluntary context switches (Linux: /proc/PID/status) count
   * the times its event loop went to sleep and was woken: the unit of Redis's per-wakeup cost (epoll,
   * beforeSleep, the scheduler), which commands' clocks do not see; {@code statsInfo}, the bytes read and written.
   */
  static Snapshot of(String cpuInfo, String statsInfo, String serverInfo, String netInfo) {
    long pid = field(serverInfo, "process_id");
    long wakeups = 0;
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("voluntary_ctxt_switches:")) {
          wakeups = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      wakeups = -1; // not Linux, or another machine's Redis
    }
    Snapshot s = of(cpuInfo, statsInfo);
    return new Snapshot(s.cpuSeconds(), s.commands(), wakeups,
        field(netInfo, "total_net_input_bytes") + field(netInfo, "total_net_output_bytes"));
  }

  private static long field(String info, String name) {
    for (String line : info.split("\n")) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return 0;
  }

  static Snapshot of(String cpuInfo, String statsInfo) {
    double cpu = 0;
    for (String line : cpuInfo.split("\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        cpu += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    Map<String, long[]> commands = new TreeMap<>();
    for (String line : statsInfo.split("\n")) {
      Matcher m = STAT.matcher(line.trim());
      if (m.find()) {
        commands.put(m.group(1), new long[] {Long.parseLong(m.group(2)), Long.parseLong(m.group(3))});
      }
    }
    return new Snapshot(cpu, commands, 0, 0);
  }

  /**
   * One line per server: its CPU per {@code per} unit (a flow, or a second of idle), how much of it
   * commands account for, and the commands with their calls and µs per unit, costliest first.
   */
  static String report(String label, List<Snapshot> before, List<Snapshot> after, double per, String unit) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < after.size(); i++) {
      Snapshot b = before.get(i);
      Snapshot a = after.get(i);
      double cpu = (a.cpuSeconds() - b.cpuSeconds()) * 1e6 / per;
      List<String[]> rows = new ArrayList<>();
      double commands = 0;
      for (var e : a.commands().entrySet()) {
        long[] was = b.commands().getOrDefault(e.getKey(), new long[2]);
        long calls = e.getValue()[0] - was[0];
        long usec = e.getValue()[1] - was[1];
        if (calls <= 0) {
          continue;
        }
        if (!e.getKey().startsWith("eval")) {
          commands += usec; // a script's commands are counted under their own names as well
        }
        rows.add(new String[] {e.getKey(), String.format("%.2f", calls / per), String.format("%.1f", usec / per)});
      }
      rows.sort((x, y) -> Double.compare(Double.parseDouble(y[2]), Double.parseDouble(x[2])));
      StringBuilder cmds = new StringBuilder();
      for (int r = 0; r < Math.min(12, rows.size()); r++) {
        cmds.append(' ').append(rows.get(r)[0]).append(' ').append(rows.get(r)[1]).append('/').append(rows.get(r)[2]).append("us");
      }
      double scripts = 0;
      for (String[] row : rows) {
        if (row[0].startsWith("eval")) {
          scripts += Double.parseDouble(row[2]);
        }
      }
      // a script's inner commands are counted under their own names too: "other" holds them
      double wakeups = (a.wakeups() - b.wakeups()) / per;
      out.append(String.format("master %-5s %d: cpu %7.1f us/%s, scripts %6.1f, other commands %6.1f, wakeups %.1f, net bytes %.0f;%s%n",
          label, i, cpu, unit, scripts, commands / per, wakeups, (a.netBytes() - b.netBytes()) / per, cmds));
    }
    return out.toString();
  }
}
