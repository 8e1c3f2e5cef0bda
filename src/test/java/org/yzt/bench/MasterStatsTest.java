package org.yzt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-master report of bench/flow.sh reads Redis's INFO text as Redis 6.2 and 7.0 write it. */
class MasterStatsTest {
  private static final String CPU = "# CPU\r\nused_cpu_sys:1.500000\r\nused_cpu_user:2.250000\r\nused_cpu_sys_children:9.0\r\n";

  private static String stats(long evalCalls, long evalUsec) {
    return "# Commandstats\r\ncmdstat_evalsha:calls=" + evalCalls + ",usec=" + evalUsec + ",usec_per_call=1.00\r\n"
        + "cmdstat_cluster|slots:calls=2,usec=80,usec_per_call=40.00,rejected_calls=0,failed_calls=0\r\n"
        + "cmdstat_hset:calls=10,usec=20,usec_per_call=2.00\r\n";
  }

  @Test
  void readsCpuAndCommandsAndReportsTheDifferencePerUnit() {
    MasterStats.Snapshot a = MasterStats.of(CPU, stats(4, 100));
    assertEquals(3.75, a.cpuSeconds(), 1e-9); // user + sys, not the children's
    assertEquals(100, a.commands().get("evalsha")[1]);
    assertEquals(2, a.commands().get("cluster|slots")[0]);
    MasterStats.Snapshot b = MasterStats.of(CPU.replace("2.250000", "2.251000"), stats(14, 400));
    String line = MasterStats.report("run", List.of(a), List.of(b), 10, "flow");
    // 1 ms of CPU over 10 flows; 10 more EVALSHA calls costing 300 us
    assertTrue(line.contains("cpu   100.0 us/flow"), line);
    assertTrue(line.contains("scripts   30.0"), line);
    assertTrue(line.contains("evalsha 1.00/30.0us"), line);
  }
}
