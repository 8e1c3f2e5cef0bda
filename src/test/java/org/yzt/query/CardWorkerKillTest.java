package org.yzt.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * A phone-card job whose worker is killed with SIGKILL mid-QUERYING (three carriers have answered, the
 * fourth hangs): a new worker finishes it without asking again a carrier whose answer was stored, and
 * exactly one result text goes out, with every carrier's count. As {@link WorkerKillTest}, with real
 * worker processes.
 */
class CardWorkerKillTest {

  @Test
  void aCardJobSurvivesKillDashNineMidQueryingAndAsksNoStoredCarrierAgain() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject config = TestService.config(redis, new JsonObject()
          .put("pipeline", new JsonObject().put("claimIdleMs", 1500).put("retryInitialMs", 100).put("blockMs", 300)));
      TestService peers = TestService.start(config.copy().put("node", new JsonObject()
          .put("roles", new JsonArray().add("simulators"))));
      Map<String, Integer> smsCalls = new ConcurrentHashMap<>();
      Map<String, String> smsText = new ConcurrentHashMap<>();
      HttpServer recorder = peers.vertx().createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
        JsonObject m = b.toJsonObject();
        smsCalls.merge(m.getString("messageId"), 1, Integer::sum);
        smsText.putIfAbsent(m.getString("messageId"), m.getString("text"));
        req.response().end("{}");
      })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
      String recorderUrl = "http://127.0.0.1:" + recorder.actualPort() + "/sms";

      JsonObject workerConfig = config.copy();
      workerConfig.getJsonObject("http").put("port", RedisServer.freePort());
      workerConfig.getJsonObject("simulators").put("enabled", false);
      workerConfig.put("node", new JsonObject().put("roles", new JsonArray().add("query").add("carrier").add("enterprise")));
      Path confFile = Files.createTempFile("yzt-worker", ".json");
      Files.writeString(confFile, workerConfig.encodePrettily());

      SimFaults faults = peers.context().shared(SimFaults.class, SimFaults::new);
      String phone = "13500135000";
      String idNumber = "11010519491231002X";
      faults.always("carrier-cards:cbn", idNumber, Fault.delay(60_000));

      NodeProcess first = startWorker(confFile, recorderUrl);
      NodeProcess second = null;
      try {
        String q = PipelineFixtures.submitCardNow(peers.context(), phone, "张三",
            idNumber, 60_000);
        // every carrier but cbn has answered and is stored; cbn was asked once and hangs
        assertTrue(waitUntil(20_000, () -> PipelineFixtures.job(peers.context().redis, q).keySet().stream()
            .filter(k -> k.startsWith("e:card:")).count() == 3
            && faults.requests("carrier-cards:cbn", idNumber) == 1), "the first worker got half way");
        assertEquals("QUERYING", PipelineFixtures.status(peers.context().redis, q));

        first.kill(); // SIGKILL
        assertTrue(!first.isAlive());
        faults.always("carrier-cards:cbn", idNumber, null);

        second = startWorker(confFile, recorderUrl);
        assertTrue(waitUntil(30_000, () -> "DONE".equals(PipelineFixtures.status(peers.context().redis, q))),
            "the second worker finished the job");
        assertTrue(waitUntil(2_000, () -> smsCalls.containsKey(q + "-r")));
        assertEquals(1, smsCalls.get(q + "-r"), "exactly one result text");
        assertEquals(1, smsCalls.size());
        assertEquals("【一证通查】您名下登记的电话卡：中国移动2张，中国联通0张，中国电信1张，中国广电0张，共3张。"
            + "如有异议，请携带本人有效身份证件到相应运营商营业厅处理。", smsText.get(q + "-r"));
        assertEquals(1, faults.requests("carrier:cmcc", phone), "the identity was checked once");
        for (String carrier : List.of("cmcc", "cucc", "ctcc", "cbn")) {
          assertEquals(carrier.equals("cbn") ? 2 : 1, faults.requests("carrier-cards:" + carrier, idNumber), carrier);
        }
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
        recorder.close();
        peers.close();
        Files.deleteIfExists(confFile);
      }
    }
  }

  private static NodeProcess startWorker(Path confFile, String recorderUrl) {
    return NodeProcess.start("worker", PipelineWorkerMain.class.getName(), List.of(confFile.toString(), recorderUrl),
        "WORKER READY");
  }
}
