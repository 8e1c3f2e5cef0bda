package org.yzt.bench;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.yzt.AppContext;
import org.yzt.common.PersonalData;
import org.yzt.query.PipelineFixtures;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * Not a test: {@code bench/pipeline.sh} runs it. Writes a backlog of accepted jobs exactly as the
 * front door does, reports Redis memory per pending job, then starts the pipeline (simulators
 * answering after {@code bench.latencyMs}) and reports completed queries per second, from the
 * start to the result text reaching the SMS service, with heap and Redis memory while it drains.
 */
@EnabledIfSystemProperty(named = "bench.jobs", matches = "\\d+")
class PipelineBenchmark {

  @Test
  void drainBacklog() throws Exception {
    int jobs = Integer.getInteger("bench.jobs");
    int latency = Integer.getInteger("bench.latencyMs", 20);
    int instances = Integer.getInteger("bench.instances", 2);
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject overrides = PipelineFixtures.pipelineRoles()
          .put("simulators", new JsonObject().put("latencyMs", latency))
          .put("verticles", new JsonObject().put("pipeline", new JsonObject().put("instances", instances))
              .put("enterprise", new JsonObject().put("instances", 1)))
          .put("pipeline", new JsonObject().put("maxInFlight", Integer.getInteger("bench.maxInFlight", 128)));
      JsonObject config = TestService.config(redis, overrides);
      PersonalData pd = new PersonalData(config.getJsonObject("security").getString("dataKey"));

      // 1. the backlog, written before any worker runs
      long memBefore = usedMemory(redis);
      io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
      io.vertx.redis.client.Redis client = io.vertx.redis.client.Redis.createClient(v,
          new io.vertx.redis.client.RedisOptions().setConnectionString(redis.url()).setMaxPoolSize(16).setMaxPoolWaiting(100_000));
      for (int i = 0; i < jobs; i += 1000) {
        List<Future<String>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(jobs, i + 1000); j++) {
          String phone = "13" + (5 + j % 5) + String.format("%08d", j);
          batch.add(PipelineFixtures.submit(client, pd, phone, "123456", 172_800_000L));
        }
        PipelineFixtures.await(Future.all(batch));
      }
      client.close();
      v.close();
      long memAfter = usedMemory(redis);
      System.out.printf("BENCH backlog %d jobs: Redis used_memory %d -> %d bytes, %.0f bytes per pending job%n",
          jobs, memBefore, memAfter, (memAfter - memBefore) / (double) jobs);

      // 2. the pipeline drains it
      long t0 = System.currentTimeMillis();
      TestService service = TestService.start(config);
      AppContext ctx = service.context();
      PipelineFixtures.SmsStub sms = new PipelineFixtures.SmsStub(service.vertx());
      long started = System.currentTimeMillis();
      long lastReport = started;
      long maxHeap = 0;
      long maxRedis = 0;
      while (sms.calls.get() < jobs && System.currentTimeMillis() - started < 3_600_000L) {
        Thread.sleep(200);
        Runtime rt = Runtime.getRuntime();
        maxHeap = Math.max(maxHeap, rt.totalMemory() - rt.freeMemory());
        if (System.currentTimeMillis() - lastReport >= 5000) {
          lastReport = System.currentTimeMillis();
          long r = usedMemory(redis);
          maxRedis = Math.max(maxRedis, r);
          System.out.printf("BENCH t=%ds texts=%d heapUsed=%dMB redis=%dMB inFlight=%.0f%n",
              (lastReport - started) / 1000, sms.calls.get(), (rt.totalMemory() - rt.freeMemory()) >> 20, r >> 20,
              ctx.metrics.get("yzt.pipeline.jobs.in.flight").gauge().value());
        }
      }
      long took = System.currentTimeMillis() - started;
      System.out.printf("BENCH drained %d jobs in %d ms (service start %d ms): %.0f completed queries/s; "
              + "max heap used %d MB; Redis at end %d bytes%n",
          sms.calls.get(), took, started - t0, sms.calls.get() * 1000.0 / took, maxHeap >> 20, usedMemory(redis));
      service.close();
    }
  }

  static long usedMemory(RedisServer redis) {
    for (String line : redis.cli("INFO", "memory").split("\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).trim());
      }
    }
    return -1;
  }
}
