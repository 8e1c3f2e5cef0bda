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
import org.yzt.config.EnterpriseConfig;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * A worker process killed with SIGKILL in the middle of a job, then a new one started: the job
 * finishes, no enterprise that had answered is asked again, and exactly one result text goes out.
 * The simulators and the SMS recorder live in this JVM; the workers are real separate processes.
 */
class WorkerKillTest {

  @Test
  void jobSurvivesKillDashNineOfItsWorker() throws Exception {
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
      String phone = "15912345678";
      faults.always("enterprise:meituan", phone, Fault.delay(60_000));
      List<EnterpriseConfig> enterprises = EnterpriseConfig.all(config);

      NodeProcess first = startWorker(confFile, recorderUrl);
      NodeProcess second = null;
      try {
        String q = PipelineFixtures.submitNow(peers.context(), phone, "123456", 60_000);
        // every enterprise but meituan has answered and is stored; meituan was asked once and hangs
        assertTrue(waitUntil(20_000, () -> PipelineFixtures.job(peers.context().redis, q).keySet().stream()
            .filter(k -> k.startsWith("e:")).count() == enterprises.size() - 1
            && faults.requests("enterprise:meituan", phone) == 1), "the first worker got half way");
        assertEquals("QUERYING", PipelineFixtures.status(peers.context().redis, q));

        first.kill(); // SIGKILL
        assertTrue(!first.isAlive());
        faults.always("enterprise:meituan", phone, null);

        second = startWorker(confFile, recorderUrl);
        assertTrue(waitUntil(30_000, () -> "DONE".equals(PipelineFixtures.status(peers.context().redis, q))),
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
