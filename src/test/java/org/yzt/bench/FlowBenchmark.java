package org.yzt.bench;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SmsInbox;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;
import org.yzt.testing.Wait;

/**
 * Not a test: {@code bench/flow.sh} runs it. A person's whole flow at load, over HTTP against one
 * node with every role (the simulated carriers, enterprises and SMS gateway answering after
 * {@code bench.latencyMs}): captcha → code (captcha check, limits, budgets, the code texted) →
 * query → pipeline to DONE (the result text at the SMS simulator). The steps run one after the
 * other for all flows, {@code bench.concurrency} requests in flight, so the Redis CPU of each step
 * (INFO cpu, summed over the masters of a cluster) is its own; the JVM CPU is this process's
 * (service and load generator both). Last line:
 * {@code flow: <N> flows/s, redis <R> us/flow, jvm <J> ms/flow}.
 */
@EnabledIfSystemProperty(named = "bench.flows", matches = "\\d+")
class FlowBenchmark {
  private static final Pattern CODE = Pattern.compile("验证码为(\\d{6})");

  @Test
  void flows() throws Exception {
    int flows = Integer.getInteger("bench.flows");
    int concurrency = Integer.getInteger("bench.concurrency", 32);
    int latency = Integer.getInteger("bench.latencyMs", 20);
    boolean onCluster = Boolean.getBoolean("bench.cluster");
    // bench.replicas: each Redis with a replica (the cluster's default) or none (standalone's default), so that
    // standalone and cluster can be compared with the same replication work
    boolean replicas = Boolean.parseBoolean(System.getProperty("bench.replicas", Boolean.toString(onCluster)));
    RedisServer single = onCluster ? null : RedisServer.startNew();
    RedisProcess replica = single != null && replicas ? replicaOf(single) : null;
    RedisClusterSet cluster = onCluster ? RedisClusterSet.start(replicas) : null;
    // every flow from an address of its own (X-Forwarded-For through a trusted proxy), as people come, and
    // the per-IP limits and the send budgets as configured, so that each script takes the path it takes in
    // production (a log of a few slots read whole in the script's one MGET). Numbers.fresh() walks the
    // numbers by a stride of 7,919, at most two to a 7-digit block below 12,000 flows, under the block's
    // 30 a window; lifted budgets (as they were here before) send the block's log down the path of a lifted
    // limit instead (GETRANGE, APPEND and PEXPIRE, where a code in production reads it in the MGET and
    // writes it by one SET)
    JsonObject overrides = new JsonObject()
        .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
        // every captcha drawn ahead (during the idle measurement): rendering is not what is measured here,
        // and an empty pool answers 503 beyond its bound of renders in flight
        .put("captcha", new JsonObject().put("poolSize", flows))
        .put("simulators", new JsonObject().put("latencyMs", latency)
            .put("smsInbox", new JsonObject().put("perNumber", 2).put("maxNumbers", flows + 10).put("maxMessages", 2 * flows + 10)));
    if (onCluster) {
      overrides.put("redis", new JsonObject().put("type", "cluster").put("endpoints", new JsonArray(cluster.seedUrls())));
    }
    JsonObject config = TestService.config(onCluster ? "redis://127.0.0.1:1/0" : single.url(), overrides);
    TestService service = TestService.start(config);
    Vertx client = Vertx.vertx();
    WebClient web = WebClient.create(client, new WebClientOptions().setDefaultHost("127.0.0.1")
        .setDefaultPort(service.httpPort()), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(concurrency));
    try {
      AppContext ctx = service.context();
      // the SMS simulator's inbox, made when it deployed (looked up, so that BASE= builds older commits too)
      SmsInbox inbox = java.util.Objects.requireNonNull(ctx.sharedIfPresent(SmsInbox.class), "no SMS simulator");
      List<String> phones = new ArrayList<>();
      for (int i = 0; i < flows; i++) {
        phones.add(Numbers.fresh());
      }
      String[] captchas = new String[flows];
      String[] codes = new String[flows];
      boolean[] lost = new boolean[flows]; // a flow refused at a step (a 503 under load) goes no further
      Meter m = new Meter(single, cluster);
      m.idle();

      long t0 = System.nanoTime();
      m.step("captcha", flows, run(flows, concurrency, i -> web.post("/api/v1/captcha").putHeader("X-Forwarded-For", client(i)).send()
          .map(r -> {
            lost[i] = r.statusCode() != 201;
            return captchas[i] = lost[i] ? null : r.bodyAsJsonObject().getString("captchaId");
          })));
      // the pool refills the captchas just drawn (renders on worker threads, a few ms of CPU each): they are the
      // captcha step's work, and when they run beside the code step they take the cores from Redis and the
      // service alike and land in its figures (on 2 cores, the code step's Redis CPU rose by half); so the code
      // step starts once the pool is full again, and the wait is left out of the flow's time like the inbox
      long refillAt = System.nanoTime();
      awaitPoolFull(ctx, flows);
      m.skip(System.nanoTime() - refillAt);
      m.step("code", flows, run(flows, concurrency, i -> lost[i] ? Future.succeededFuture()
          : web.post("/api/v1/sms-codes").putHeader("X-Forwarded-For", client(i)).sendJsonObject(new JsonObject()
          .put("phone", phones.get(i)).put("captchaId", captchas[i]).put("captchaCode", TestService.CAPTCHA))
          .map(r -> lost[i] = r.statusCode() != 202)));
      long codesAt = System.nanoTime();
      // reading the texted codes (the dev inbox: no Redis) is not part of any step
      run(flows, concurrency, i -> lost[i] ? Future.succeededFuture() : web.get("/dev/sms").addQueryParam("phone", phones.get(i)).send().map(r -> {
        Matcher c = CODE.matcher(ok(r, 200).bodyAsString());
        if (!c.find()) {
          throw new IllegalStateException("no code for a number");
        }
        return codes[i] = c.group(1);
      })).toCompletionStage().toCompletableFuture().get(10, TimeUnit.MINUTES);
      long texts0 = inbox.requestCount();
      m.skip(System.nanoTime() - codesAt);
      m.step("query", flows, run(flows, concurrency, i -> lost[i] ? Future.succeededFuture()
          : web.post("/api/v1/queries").putHeader("X-Forwarded-For", client(i)).sendJsonObject(new JsonObject()
              .put("phone", phones.get(i)).put("idLast6", "12345X").put("smsCode", codes[i]))
              .map(r -> lost[i] = r.statusCode() != 202)));
      int complete = 0;
      for (boolean l : lost) {
        complete += l ? 0 : 1;
      }
      int expected = complete;
      Promise<Void> drained = Promise.promise();
      long poll = client.setPeriodic(10, t -> {
        if (inbox.requestCount() >= texts0 + expected) {
          drained.tryComplete();
        }
      });
      m.step("pipeline", flows, drained.future());
      client.cancelTimer(poll);
      double seconds = (System.nanoTime() - t0 - m.skipped) / 1e9;
      System.out.printf("flows %d, refused on the way (503 under load) %d%n", flows, flows - complete);
      m.report(complete, seconds);
    } finally {
      service.close();
      client.close();
      if (replica != null) {
        replica.close();
      }
      if (single != null) {
        single.close();
      }
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** Waits until the image captcha pool holds {@code size} images (its gauge), or 5 minutes. */
  private static void awaitPoolFull(AppContext ctx, int size) {
    io.micrometer.core.instrument.Gauge ready = ctx.metrics == null ? null : ctx.metrics.find("yzt.captcha.pool.ready").gauge();
    if (ready != null) {
      Wait.waitUntil(TimeUnit.MINUTES.toMillis(5), () -> ready.value() >= size);
    }
    System.out.printf("captcha pool before the code step: %s of %d%n", ready == null ? "?" : (long) ready.value(), size);
  }

  /** A replica of {@code primary}, in sync before it returns. */
  private static RedisProcess replicaOf(RedisServer primary) throws java.io.IOException {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("yzt-replica");
    RedisProcess r = RedisProcess.onFreePort(port -> RedisProcess.start(dir, "replica", port, "Ready to accept connections",
        List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--dir", dir.toString(), "--protected-mode", "no", "--replicaof", "127.0.0.1", Integer.toString(primary.port()))));
    r.awaitLog("MASTER <-> REPLICA sync: Finished with success", 20_000);
    return r;
  }

  /** Flow i's client address: 10.x.y.z, one per flow. */
  private static String client(int i) {
    return "10." + ((i >> 16) & 255) + "." + ((i >> 8) & 255) + "." + (i & 255);
  }

  private static HttpResponse<Buffer> ok(HttpResponse<Buffer> r, int status) {
    if (r.statusCode() != status) {
      throw new IllegalStateException(r.statusCode() + " " + r.bodyAsString());
    }
    return r;
  }

  /** Runs {@code task(i)} for every i below n, at most {@code concurrency} at once. */
  private static Future<Void> run(int n, int concurrency, IntFunction<Future<?>> task) {
    Promise<Void> all = Promise.promise();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    Runnable[] more = new Runnable[1];
    more[0] = () -> {
      int i = next.getAndIncrement();
      if (i >= n) {
        return;
      }
      task.apply(i).onComplete(ar -> {
        if (ar.failed()) {
          all.tryFail(ar.cause());
          return;
        }
        if (done.incrementAndGet() == n) {
          all.tryComplete();
        }
        more[0].run();
      });
    };
    for (int c = 0; c < Math.min(n, concurrency); c++) {
      more[0].run();
    }
    return all.future();
  }

  /** Redis and JVM CPU per step. */
  private static final class Meter {
    private final RedisServer single;
    private final RedisClusterSet cluster;
    private final StringBuilder lines = new StringBuilder();
    private final StringBuilder commands = new StringBuilder();
    /** Scripts' µs per flow by Redis's own clock, all steps (summed over the masters): the like-for-like figure. */
    private double scriptsTotal;
    private double[] redis0;
    private double redisTotal;
    private double jvmTotal;
    private long skipped;

    Meter(RedisServer single, RedisClusterSet cluster) {
      this.single = single;
      this.cluster = cluster;
    }

    /** Per server (each master) INFO cpu and commandstats: at the idle second's ends and at the run's start. */
    private List<MasterStats.Snapshot> servers() {
      if (single != null) {
        return List.of(MasterStats.of(single.cli("INFO", "cpu"), single.cli("INFO", "commandstats"), single.cli("INFO", "server"),
            single.cli("INFO", "stats")));
      }
      return MasterStats.take(cluster.masters());
    }

    private List<MasterStats.Snapshot> idle0;
    private List<MasterStats.Snapshot> idle1;
    private List<MasterStats.Snapshot> run0;
    private double idleSeconds;

    private double[] redisCpu() {
      if (single != null) {
        return new double[] {PipelineBenchmark.redisCpuSeconds(single)};
      }
      List<RedisProcess> masters = cluster.masters();
      double[] out = new double[masters.size()];
      for (int i = 0; i < out.length; i++) {
        out[i] = cpu(masters.get(i).cli("INFO", "cpu"));
      }
      return out;
    }

    /** INFO commandstats summed over the Redis (or the masters): command → {calls, usec}. */
    private java.util.Map<String, long[]> commandStats() {
      java.util.Map<String, long[]> out = new java.util.TreeMap<>();
      List<String> infos = new ArrayList<>();
      if (single != null) {
        infos.add(single.cli("INFO", "commandstats"));
      } else {
        for (RedisProcess m : cluster.masters()) {
          infos.add(m.cli("INFO", "commandstats"));
        }
      }
      Pattern stat = Pattern.compile("^cmdstat_([a-z|]+):calls=(\\d+),usec=(\\d+)");
      for (String info : infos) {
        for (String line : info.split("\n")) {
          Matcher m = stat.matcher(line.trim());
          if (m.find()) {
            long[] v = out.computeIfAbsent(m.group(1), k -> new long[2]);
            v[0] += Long.parseLong(m.group(2));
            v[1] += Long.parseLong(m.group(3));
          }
        }
      }
      return out;
    }

    /**
     * What the step's commands cost by Redis's own per-command clock (INFO commandstats, wall time inside
     * each command): a figure the load of other processes moves less, as it counts neither the idle
     * background's share of the wall time nor Redis's event loop and network. Scripts (EVALSHA, EVAL)
     * first, their commands' time included; the pipeline's reads and the gauges apart.
     */
    private String commandLine(String name, int flows, java.util.Map<String, long[]> before, java.util.Map<String, long[]> after) {
      java.util.Set<String> background = java.util.Set.of("xreadgroup", "xautoclaim", "xclaim", "xpending", "xinfo",
          "xlen", "info", "ping", "exists", "cluster", "client", "hello", "select", "auth", "readonly");
      StringBuilder parts = new StringBuilder();
      double scripts = 0;
      double back = 0;
      for (var e : after.entrySet()) {
        long[] b = before.getOrDefault(e.getKey(), new long[2]);
        long calls = e.getValue()[0] - b[0];
        long usec = e.getValue()[1] - b[1];
        if (calls <= 0) {
          continue;
        }
        if (background.contains(e.getKey())) {
          back += usec;
        } else if (e.getKey().equals("evalsha") || e.getKey().equals("eval")) {
          scripts += usec; // a script's time holds its commands', which are counted under their names too
        }
        if (calls >= flows / 10) {
          parts.append(String.format(" %s %.2f/flow %.1fus", e.getKey(), calls / (double) flows, usec / (double) flows));
        }
      }
      scriptsTotal += scripts / flows;
      return String.format("cmds %-8s scripts %6.1f us/flow (pipeline reads, gauges %.1f); each command, in scripts too:%s%n",
          name, scripts / flows, back / flows, parts);
    }

    private static double cpu(String info) {
      double s = 0;
      for (String line : info.split("\n")) {
        if (line.startsWith("used_cpu_sys:") || line.startsWith("used_cpu_user:")) {
          s += Double.parseDouble(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return s;
    }

    /** Redis CPU a second with no request (the workers' polling, the gauges), taken out of every step. */
    private double idlePerSecond;
    /** The same, each master's own: a master's figure per flow is net of its own idle rate. */
    private double[] idleEach;
    private double[] netEach;

    void idle() throws InterruptedException {
      Thread.sleep(Math.max(2000, Integer.getInteger("bench.flows") * 5L)); // start-up and the captcha pool over
      idle0 = servers();
      double[] before = redisCpu();
      long t = System.nanoTime();
      Thread.sleep(3000);
      double[] after = redisCpu();
      idle1 = servers();
      idleSeconds = (System.nanoTime() - t) / 1e9;
      double sum = 0;
      idleEach = new double[after.length];
      netEach = new double[after.length];
      for (int i = 0; i < after.length; i++) {
        sum += after[i] - before[i];
        idleEach[i] = (after[i] - before[i]) / idleSeconds;
      }
      idlePerSecond = sum / idleSeconds;
      lines.append(String.format("idle     redis %.0f us/s (subtracted from each step below)%n", idlePerSecond * 1e6));
    }

    void step(String name, int flows, Future<?> step) throws Exception {
      java.util.Map<String, long[]> statsBefore = commandStats();
      List<MasterStats.Snapshot> servers0 = run0 == null ? servers() : null;
      double[] before = redisCpu();
      long jvmBefore = PipelineBenchmark.processCpuNanos();
      long t = System.nanoTime();
      step.toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
      double wall = (System.nanoTime() - t) / 1e9;
      if (redis0 == null) {
        redis0 = before;
        run0 = servers0;
      }
      double[] after = redisCpu();
      double redis = 0;
      for (int i = 0; i < after.length; i++) {
        redis += after[i] - before[i];
        netEach[i] += after[i] - before[i] - idleEach[i] * wall;
      }
      redis = Math.max(0, redis - idlePerSecond * wall);
      redisTotal += redis;
      double jvm = (PipelineBenchmark.processCpuNanos() - jvmBefore) / 1e6;
      jvmTotal += jvm;
      lines.append(String.format("step %-8s %8.0f/s  redis %6.1f us/flow  jvm %6.3f ms/flow%n",
          name, flows / wall, redis * 1e6 / flows, jvm / flows));
      commands.append(commandLine(name, flows, statsBefore, commandStats()));
    }

    void skip(long nanos) {
      skipped += nanos;
    }

    void report(int flows, double seconds) {
      System.out.print(lines);
      System.out.print(commands);
      System.out.print(MasterStats.report("idle", idle0, idle1, idleSeconds, "s"));
      System.out.print(MasterStats.report("run", run0, servers(), flows, "flow"));
      double total = 0;
      double busiest = 0;
      StringBuilder each = new StringBuilder();
      for (int i = 0; i < netEach.length; i++) {
        total += netEach[i];
        busiest = Math.max(busiest, netEach[i]);
        each.append(String.format(" %.0f", netEach[i] * 1e6 / flows));
      }
      if (netEach.length > 1) {
        // each master net of its own idle rate over the steps' wall time: the share is of the flows' work
        System.out.printf("masters %d, us/flow each net of its idle rate:%s; busiest master %.0f %% of the Redis CPU%n",
            netEach.length, each, 100 * busiest / total);
      }
      // INFO cpu counts the event loop's wakeups, which a cluster's three masters have more of at low rates;
      // the commands' clock counts the scripts alone: compare standalone and cluster on both
      System.out.printf("flows' scripts by the commands' clock %.0f us/flow%n", scriptsTotal);
      System.out.printf("flow: %.0f flows/s, redis %.0f us/flow, jvm %.2f ms/flow%n",
          flows / seconds, redisTotal * 1e6 / flows, jvmTotal / flows);
    }
  }
}
