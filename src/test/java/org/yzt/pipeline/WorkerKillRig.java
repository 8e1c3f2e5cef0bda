package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
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
  private final List<NodeProcess> workers = new ArrayList<>();
  private final RedisServer redis;

  /** The rig on a private Redis of its own, closed with it. */
  static WorkerKillRig start() throws Exception {
    RedisServer redis = RedisServer.startNew();
    try {
      return new WorkerKillRig(redis);
    } catch (Exception | Error e) {
      redis.close();
      throw e;
    }
  }

  private WorkerKillRig(RedisServer redis) throws Exception {
    this.redis = redis;
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

  /** A worker process, closed with this rig. */
  NodeProcess startWorker() {
    NodeProcess worker = NodeProcess.start("worker", PipelineWorkerMain.class.getName(),
        List.of(confFile.toString(), recorderUrl), "WORKER READY");
    workers.add(worker);
    return worker;
  }

  /**
   * The kill itself: a first worker takes the job {@code submit} makes; once {@code halfWay} holds of its id and the
   * job is QUERYING it is killed with SIGKILL, {@code release} lifts the hang that held it, and a second
   * worker finishes the job. Returns the job's id once it is DONE and its result text has been sent.
   */
  String killMidQueryingAndFinish(Supplier<String> submit, Predicate<String> halfWay, Runnable release) {
    NodeProcess first = startWorker();
    String q = submit.get();
    assertTrue(waitUntil(20_000, () -> halfWay.test(q)), "the first worker got half way");
    assertEquals("QUERYING", PipelineFixtures.status(context().redis, q));

    first.kill(); // SIGKILL
    assertTrue(!first.isAlive());
    release.run();

    startWorker();
    assertTrue(waitUntil(30_000, () -> "DONE".equals(PipelineFixtures.status(context().redis, q))),
        "the second worker finished the job");
    assertTrue(waitUntil(2_000, () -> smsCalls.containsKey(q + "-r")));
    return q;
  }

  /**
   * The one result text of job {@code q}: it must be the only text sent, and sent once. Read once the
   * job's stream entry is acknowledged and gone (no worker holds it any more), so a second text could
   * only have been sent before, not be merely late.
   */
  String onlyResultText(String q) {
    org.yzt.store.Shard shard = org.yzt.testing.Layout.shardOf(q);
    assertTrue(waitUntil(10_000, () -> "0".equals(redis.cli("XLEN", shard.stream()).trim())),
        "the job's stream entry was acknowledged and deleted");
    assertEquals(1, smsCalls.get(q + "-r"), "exactly one result text");
    assertEquals(1, smsCalls.size());
    return smsText.get(q + "-r");
  }

  @Override
  public void close() throws Exception {
    for (NodeProcess worker : workers) {
      worker.close();
    }
    recorder.close();
    peers.close();
    Files.deleteIfExists(confFile);
    redis.close();
  }
}
