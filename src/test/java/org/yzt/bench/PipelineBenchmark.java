package org.yzt.bench;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.yzt.privacy.PersonalData;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SmsInbox;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * Not a test: {@code bench/pipeline.sh} runs it. Writes a backlog of accepted jobs exactly as the
 * front door does, reports Redis memory per pending job, then starts the pipeline with the real
 * carrier, enterprise and SMS verticles talking signed HTTP to the in-process simulators (answering
 * after {@code bench.latencyMs}), and reports completed queries per second: from the start of the
 * drain to the result text reaching the SMS simulator ({@link SmsInbox#requestCount()}), with heap
 * and Redis memory every 5 s while it drains.
 */
@EnabledIfSystemProperty(named = "bench.jobs", matches = "\\d+")
class PipelineBenchmark {

  @Test
  void drainBacklog() throws Exception {
    int jobs = Integer.getInteger("bench.jobs");
    int latency = Integer.getInteger("bench.latencyMs", 20);
    int instances = Integer.getInteger("bench.instances", 2);
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject verticles = new JsonObject()
          .put("pipeline", new JsonObject().put("instances", instances));
      for (String kind : new String[] {"carrier", "enterprise", "sms", "simulators"}) {
        String v = System.getProperty("bench." + kind + ".instances");
        if (v != null && !v.isBlank()) {
          verticles.put(kind, new JsonObject().put("instances", Integer.parseInt(v)));
        }
      }
      JsonObject pipeline = new JsonObject();
      String inFlight = System.getProperty("bench.maxInFlight");
      if (inFlight != null && !inFlight.isBlank()) {
        pipeline.put("maxInFlight", Integer.parseInt(inFlight));
      }
      JsonObject node = new JsonObject().put("roles",
          new JsonArray().add("query").add("carrier").add("enterprise").add("sms").add("simulators"));
      String loops = System.getProperty("bench.eventLoops");
      if (loops != null && !loops.isBlank()) {
        node.put("eventLoops", Integer.parseInt(loops));
      }
      JsonObject overrides = new JsonObject()
          .put("node", node)
          // a small inbox: the simulator's memory of texts must not hide the pipeline's heap
          .put("simulators", new JsonObject().put("latencyMs", latency)
              .put("smsInbox", new JsonObject().put("perNumber", 1).put("maxNumbers", 1000).put("maxMessages", 1000)))
          .put("verticles", verticles)
          .put("pipeline", pipeline);
      JsonObject config = TestService.config(redis, overrides);
      PersonalData pd = new PersonalData(config.getJsonObject("security").getString("dataKey"));

      // 1. the backlog, written before any worker runs
      long memBefore = usedMemory(redis);
      io.vertx.core.Vertx v = io.vertx.core.Vertx.vertx();
      // written through the front door's own submission script (PipelineFixtures.submit)
      AppContext writer = new AppContext(v, config.copy().put("redis", config.getJsonObject("redis").copy()
          .put("maxPoolSize", 16).put("maxPoolWaiting", 100_000)), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
      for (int i = 0; i < jobs; i += 1000) {
        List<Future<String>> batch = new ArrayList<>();
        for (int j = i; j < Math.min(jobs, i + 1000); j++) {
          String phone = "13" + (5 + j % 5) + String.format("%08d", j);
          batch.add(PipelineFixtures.submit(writer, phone, "123456", 172_800_000L));
        }
        PipelineFixtures.await(Future.all(batch));
      }
      writer.redis.close();
      v.close();
      long memAfter = usedMemory(redis);
      System.out.println(String.format("BENCH backlog %d jobs: Redis used_memory %d -> %d bytes, %.0f bytes per pending job",
          jobs, memBefore, memAfter, (memAfter - memBefore) / (double) jobs));

      // 2. the pipeline drains it; texts are counted where they land, at the SMS simulator
      long t0 = System.currentTimeMillis();
      TestService service = TestService.start(config);
      AppContext ctx = service.context();
      SmsInbox inbox = ctx.shared(SmsInbox.class, () -> SmsInbox.fromConfig(org.yzt.config.SimulatorsConfig.from(ctx.config)));
      System.out.println(String.format("BENCH config: pipeline×%d maxInFlight=%s carrier×%s enterprise×%s sms×%s simulators×%s latency=%dms",
          instances, pipeline.getValue("maxInFlight", "default"), verticles.getJsonObject("carrier", new JsonObject()).getValue("instances", "default"),
          verticles.getJsonObject("enterprise", new JsonObject()).getValue("instances", "default"),
          verticles.getJsonObject("sms", new JsonObject()).getValue("instances", "default"),
          verticles.getJsonObject("simulators", new JsonObject()).getValue("instances", "default"), latency));
      long liveBefore = liveHeap();
      long started = System.currentTimeMillis();
      long cpu0 = processCpuNanos();
      double redisCpu0 = redisCpuSeconds(redis);
      long lastReport = started;
      long lastTexts = 0;
      long lastCpu = cpu0;
      long maxHeap = 0;
      long maxRedis = 0;
      // the second half of the drain, when the JIT has long finished: the steady figures
      long halfAt = 0;
      long halfTexts = 0;
      long halfCpu = 0;
      double halfRedisCpu = 0;
      Map<String, Long> halfThreads = Map.of();
      while (inbox.requestCount() < jobs && System.currentTimeMillis() - started < 3_600_000L) {
        Thread.sleep(200);
        if (halfAt == 0 && inbox.requestCount() >= jobs / 2) {
          halfAt = System.currentTimeMillis();
          halfTexts = inbox.requestCount();
          halfCpu = processCpuNanos();
          halfRedisCpu = redisCpuSeconds(redis);
          halfThreads = threadCpuTicks();
        }
        Runtime rt = Runtime.getRuntime();
        maxHeap = Math.max(maxHeap, rt.totalMemory() - rt.freeMemory());
        if (System.currentTimeMillis() - lastReport >= 5000) {
          long now = System.currentTimeMillis();
          long texts = inbox.requestCount();
          long r = usedMemory(redis);
          maxRedis = Math.max(maxRedis, r);
          long cpu = processCpuNanos();
          long old = heapAfterLastGc();
          System.out.println(String.format("BENCH t=%ds texts=%d (%.0f/s, JVM CPU %.2f ms/query last 5 s) heapUsed=%dMB heapAfterGC=%dMB redis=%dMB inFlight=%.0f load=%s",
              (now - started) / 1000, texts, (texts - lastTexts) * 1000.0 / (now - lastReport),
              (cpu - lastCpu) / 1e6 / Math.max(1, texts - lastTexts),
              (rt.totalMemory() - rt.freeMemory()) >> 20, old >> 20, r >> 20,
              ctx.metrics.get("yzt.pipeline.jobs.in.flight").gauge().value(), loadAverage()));
          lastReport = now;
          lastTexts = texts;
          lastCpu = cpu;
        }
      }
      long took = System.currentTimeMillis() - started;
      long texts = inbox.requestCount();
      double jvmCpuMs = (processCpuNanos() - cpu0) / 1e6;
      double redisCpuMs = (redisCpuSeconds(redis) - redisCpu0) * 1000;
      System.out.println(String.format("BENCH CPU per completed query: JVM %.2f ms, Redis %.2f ms (JVM %.0f ms, Redis %.0f ms of CPU over %d ms)",
          jvmCpuMs / Math.max(1, texts), redisCpuMs / Math.max(1, texts), jvmCpuMs, redisCpuMs, took));
      if (halfAt > 0 && texts > halfTexts) {
        long n = texts - halfTexts;
        System.out.println(String.format("BENCH steady (second half of the drain, %d texts in %d ms): %.0f completed queries/s, "
                + "JVM %.3f ms and Redis %.3f ms of CPU per completed query",
            n, System.currentTimeMillis() - halfAt, n * 1000.0 / Math.max(1, System.currentTimeMillis() - halfAt),
            (processCpuNanos() - halfCpu) / 1e6 / n, (redisCpuSeconds(redis) - halfRedisCpu) * 1000 / n));
        // where the JVM's CPU went in that half, by thread kind (event loops, GC, JIT compiler, …)
        Map<String, Long> end = threadCpuTicks();
        Map<String, Long> atHalf = halfThreads;
        StringBuilder by = new StringBuilder();
        end.entrySet().stream()
            .map(e -> Map.entry(e.getKey(), e.getValue() - atHalf.getOrDefault(e.getKey(), 0L)))
            .filter(e -> e.getValue() > 0)
            .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
            .limit(8)
            .forEach(e -> by.append(String.format(" %s=%.3f", e.getKey(), e.getValue() * 10.0 / n)));
        System.out.println("BENCH steady JVM CPU ms per completed query by thread:" + by);
      }
      Thread.sleep(500); // late repeats, if any, would show in requestCount
      double done = finished(ctx, "DONE");
      // what stays reachable: a full collection before the drain and after it (every job finished)
      System.out.println(String.format("BENCH live heap after a full GC: %d MB before the drain, %d MB after it",
          liveBefore >> 20, liveHeap() >> 20));
      if (Boolean.getBoolean("bench.histogram")) { // what the live heap holds, largest classes first
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
            new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        histogram.lines().limit(18).forEach(l -> System.out.println("BENCH histogram " + l));
      }
      System.out.println(String.format("BENCH drained %d jobs in %d ms (service start %d ms): %.0f completed queries/s; "
              + "texts at the simulator %d (requests %d, DONE %.0f); max heap used %d MB; Redis max %d MB, at end %d bytes; load %s",
          jobs, took, started - t0, texts * 1000.0 / took, texts, inbox.requestCount(), done, maxHeap >> 20, maxRedis >> 20,
          usedMemory(redis), loadAverage()));
      for (String line : redis.cli("INFO", "commandstats").split("\n")) {
        if (line.startsWith("cmdstat_")) {
          System.out.println("BENCH redis " + line.trim());
        }
      }
      service.close();
    }
  }

  /** The heap in use right after a full collection: the live set. */
  static long liveHeap() {
    System.gc();
    Runtime rt = Runtime.getRuntime();
    return rt.totalMemory() - rt.freeMemory();
  }

  static double finished(AppContext ctx, String status) {
    Counter c = ctx.metrics.find("yzt.pipeline.jobs.finished").tag("status", status).tag("kind", "accounts").counter();
    return c == null ? 0 : c.count();
  }

  /**
   * The heap in use right after the most recent collection (young ones included), all pools: what
   * survived, so a number that stays flat while jobs flow means nothing accumulates.
   */
  static long heapAfterLastGc() {
    long best = 0;
    long bestTime = -1;
    for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof com.sun.management.GarbageCollectorMXBean g && g.getLastGcInfo() != null
          && g.getLastGcInfo().getEndTime() > bestTime) {
        bestTime = g.getLastGcInfo().getEndTime();
        long sum = 0;
        for (java.util.Map.Entry<String, java.lang.management.MemoryUsage> e : g.getLastGcInfo().getMemoryUsageAfterGc().entrySet()) {
          if (isHeapPool(e.getKey())) {
            sum += e.getValue().getUsed();
          }
        }
        best = sum;
      }
    }
    return best;
  }

  static boolean isHeapPool(String name) {
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getName().equals(name)) {
        return p.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }

  /**
   * CPU ticks (1/100 s) of this JVM's threads from /proc, summed by name with digits dropped; "name(sys)"
   * the part spent in the kernel.
   */
  static Map<String, Long> threadCpuTicks() {
    Map<String, Long> out = new java.util.TreeMap<>();
    java.io.File[] tasks = new java.io.File("/proc/self/task").listFiles();
    if (tasks == null) {
      return out;
    }
    for (java.io.File t : tasks) {
      try {
        String comm = java.nio.file.Files.readString(t.toPath().resolve("comm")).trim().replaceAll("[0-9]+", "N");
        String stat = java.nio.file.Files.readString(t.toPath().resolve("stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        out.merge(comm, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
        out.merge(comm + "(sys)", Long.parseLong(f[12]), Long::sum);
      } catch (java.io.IOException | RuntimeException e) {
        // the thread ended meanwhile
      }
    }
    return out;
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** used_cpu_sys + used_cpu_user of the Redis server, seconds. */
  static double redisCpuSeconds(RedisServer redis) {
    double s = 0;
    for (String line : redis.cli("INFO", "cpu").split("\n")) {
      if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
        s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    return s;
  }

  static String loadAverage() {
    return String.format("%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
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
