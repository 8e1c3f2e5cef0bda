package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.yzt.config.EnterpriseConfig;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;

/**
 * A worker process killed with SIGKILL in the middle of a job, then a new one started: the job
 * finishes, no enterprise that had answered is asked again, and exactly one result text goes out.
 * The simulators and the SMS recorder live in this JVM; the workers are real separate processes.
 */
class WorkerKillTest {

  @Test
  void jobSurvivesKillDashNineOfItsWorker() throws Exception {
    try (WorkerKillRig rig = WorkerKillRig.start()) {
      SimFaults faults = rig.faults;
      AppContext peers = rig.context();
      String phone = "15912345678";
      faults.always("enterprise:meituan", phone, Fault.delay(60_000));
      List<EnterpriseConfig> enterprises = EnterpriseConfig.all(peers.config);

      String q = rig.killMidQueryingAndFinish(
          () -> PipelineFixtures.submitNow(peers, phone, "123456", 60_000),
          // every enterprise but meituan has answered and is stored; meituan was asked once and hangs
          job -> PipelineFixtures.job(peers.redis, job).keySet().stream().filter(k -> k.startsWith("e:")).count()
              == enterprises.size() - 1 && faults.requests("enterprise:meituan", phone) == 1,
          () -> faults.always("enterprise:meituan", phone, null));
      String text = rig.onlyResultText(q);
      assertTrue(text.startsWith("【一证通查】您的号码159****5678关联的互联网账号：微信"), rig.smsText.toString());
      assertEquals(1, faults.requests("carrier:cmcc", phone), "the carrier was asked once");
      for (EnterpriseConfig e : enterprises) {
        assertEquals(e.id().equals("meituan") ? 2 : 1, faults.requests("enterprise:" + e.id(), phone), e.id());
      }
    }
  }
}
