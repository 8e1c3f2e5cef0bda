package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;

/**
 * A phone-card job whose worker is killed with SIGKILL mid-QUERYING (three carriers have answered, the
 * fourth hangs): a new worker finishes it without asking again a carrier whose answer was stored, and
 * exactly one result text goes out, with every carrier's count. As {@link WorkerKillTest}, with real
 * worker processes.
 */
class CardWorkerKillTest {

  @Test
  void aCardJobSurvivesKillDashNineMidQueryingAndAsksNoStoredCarrierAgain() throws Exception {
    try (WorkerKillRig rig = WorkerKillRig.start()) {
      SimFaults faults = rig.faults;
      AppContext peers = rig.context();
      String phone = "13500135000";
      String idNumber = "11010519491231002X";
      faults.always("carrier-cards:cbn", idNumber, Fault.delay(60_000));

      String q = rig.killMidQueryingAndFinish(
          () -> PipelineFixtures.submitCardNow(peers, phone, "张三", idNumber, 60_000),
          // every carrier but cbn has answered and is stored; cbn was asked once and hangs
          job -> PipelineFixtures.job(peers.redis, job).keySet().stream().filter(k -> k.startsWith("e:card:")).count() == 3
              && faults.requests("carrier-cards:cbn", idNumber) == 1,
          () -> faults.always("carrier-cards:cbn", idNumber, null));
      assertEquals("【一证通查】您名下登记的电话卡：中国移动2张，中国联通0张，中国电信1张，中国广电0张，共3张。"
          + "如有异议，请携带本人有效身份证件到相应运营商营业厅处理。", rig.onlyResultText(q));
      assertEquals(1, faults.requests("carrier:cmcc", phone), "the identity was checked once");
      for (String carrier : List.of("cmcc", "cucc", "ctcc", "cbn")) {
        assertEquals(carrier.equals("cbn") ? 2 : 1, faults.requests("carrier-cards:" + carrier, idNumber), carrier);
      }
    }
  }
}
