package org.yzt.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yzt.config.EnterpriseConfig;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;

/**
 * A worker process killed with SIGKILL in the middle of a job, then a new one started: the job
 * finishes, no enterprise that had answered is asked again, and exactly one result text goes out.
 * The simulators and the SMS recorder live in this JVM; the workers are real separate processes.
 */
class WorkerKillTest {

  @Test
  void jobSurvivesKillDashNineOfItsWorker() throws Exception {
    try (RedisServer redis = RedisServer.startNew(); WorkerKillRig rig = new WorkerKillRig(redis)) {
      SimFaults faults = rig.faults;
      Map<String, Integer> smsCalls = rig.smsCalls;
      Map<String, String> smsText = rig.smsText;
      AppContext peers = rig.context();
      String phone = "15912345678";
      faults.always("enterprise:meituan", phone, Fault.delay(60_000));
      List<EnterpriseConfig> enterprises = EnterpriseConfig.all(peers.config);

      NodeProcess first = rig.startWorker();
      NodeProcess second = null;
      try {
        String q = PipelineFixtures.submitNow(peers, phone, "123456", 60_000);
        // every enterprise but meituan has answered and is stored; meituan was asked once and hangs
        assertTrue(waitUntil(20_000, () -> PipelineFixtures.job(peers.redis, q).keySet().stream()
            .filter(k -> k.startsWith("e:")).count() == enterprises.size() - 1
            && faults.requests("enterprise:meituan", phone) == 1), "the first worker got half way");
        assertEquals("QUERYING", PipelineFixtures.status(peers.redis, q));

        first.kill(); // SIGKILL
        assertTrue(!first.isAlive());
        faults.always("enterprise:meituan", phone, null);

        second = rig.startWorker();
        assertTrue(waitUntil(30_000, () -> "DONE".equals(PipelineFixtures.status(peers.redis, q))),
            "the second worker finished the job");
        assertTrue(waitUntil(2_000, () -> smsCalls.containsKey(q + "-r")));
        Thread.sleep(500);
        assertEquals(1, smsCalls.get(q + "-r"), "exactly one result text");
        assertEquals(1, smsCalls.size());
        assertTrue(smsText.get(q + "-r").startsWith("【一证通查】您的号码159****5678关联的互联网账号：微信"), smsText.toString());
        assertEquals(1, faults.requests("carrier:cmcc", phone), "the carrier was asked once");
        for (EnterpriseConfig e : enterprises) {
          assertEquals(e.id().equals("meituan") ? 2 : 1, faults.requests("enterprise:" + e.id(), phone), e.id());
        }
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
      }
    }
  }
}
