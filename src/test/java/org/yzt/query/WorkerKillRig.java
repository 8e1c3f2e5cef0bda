package org.yzt.query;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * What the worker-kill tests share: the simulators and an SMS recorder in this JVM, and pipeline
 * workers as real separate processes (started with {@link #startWorker}, killed with SIGKILL by the test).
 */
final class WorkerKillRig implements AutoCloseable {
  final TestService peers;
  final SimFaults faults;
  /** Calls the SMS recorder received, by messageId, and the first text of each. */
  final Map<String, Integer> smsCalls = new ConcurrentHashMap<>();
  final Map<String, String> smsText = new ConcurrentHashMap<>();
  private final HttpServer recorder;
  private final String recorderUrl;
  private final Path confFile;

  WorkerKillRig(RedisServer redis) throws Exception {
    JsonObject config = TestService.config(redis, new JsonObject()
        .put("pipeline", new JsonObject().put("claimIdleMs", 1500).put("retryInitialMs", 100).put("blockMs", 300)));
    peers = TestService.start(config.copy().put("node", new JsonObject().put("roles", new JsonArray().add("simulators"))));
    recorder = peers.vertx().createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject m = b.toJsonObject();
      smsCalls.merge(m.getString("messageId"), 1, Integer::sum);
      smsText.putIfAbsent(m.getString("messageId"), m.getString("text"));
      req.response().end("{}");
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    recorderUrl = "http://127.0.0.1:" + recorder.actualPort() + "/sms";
    JsonObject workerConfig = config.copy();
    workerConfig.getJsonObject("http").put("port", RedisServer.freePort());
    workerConfig.getJsonObject("simulators").put("enabled", false);
    workerConfig.put("node", new JsonObject().put("roles", new JsonArray().add("query").add("carrier").add("enterprise")));
    confFile = Files.createTempFile("yzt-worker", ".json");
    Files.writeString(confFile, workerConfig.encodePrettily());
    faults = peers.context().shared(SimFaults.class, SimFaults::new);
  }

  AppContext context() {
    return peers.context();
  }

  NodeProcess startWorker() {
    return NodeProcess.start("worker", PipelineWorkerMain.class.getName(), List.of(confFile.toString(), recorderUrl),
        "WORKER READY");
  }

  @Override
  public void close() throws Exception {
    recorder.close();
    peers.close();
    Files.deleteIfExists(confFile);
  }
}
