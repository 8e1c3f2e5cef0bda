package org.yzt.enterprise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.testing.ManualClock;
import org.yzt.bus.EventBusSetup;
import org.yzt.partner.RequestSigner;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;

/**
 * The enterprise connector alone, over the event bus, against a test server that speaks the
 * protocol (and checks signatures) with whatever status or body a test wants. Each test has an
 * enterprise of its own (its own circuit, bulkhead and answer), so that no test sees a circuit another
 * opened or a count another made, in whatever order they run.
 */
class EnterpriseConnectorTest {
  /** One enterprise per test; circuits open after 3 transient failures, the bulkhead's after 100. */
  static final List<String> ENTERPRISES = List.of("apps", "malformed", "statuses", "circuit", "timeout", "bulkhead", "clock");
  static Vertx vertx;
  static HttpServer server;
  static AppContext ctx;
  /** Requests that reached the server, per enterprise. */
  static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  static final AtomicInteger badSignatures = new AtomicInteger();
  /** {status, body} per enterprise; none = hang. */
  static final Map<String, Object[]> answers = new ConcurrentHashMap<>();
  /** The node's clock; the test peer checks signatures on the system clock, as a partner on NTP time. */
  static final ManualClock clock = new ManualClock();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    EventBusSetup.registerCodecs(vertx);
    RequestSigner signer = new RequestSigner("k-test", "s-test");
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      java.util.regex.Matcher path = java.util.regex.Pattern.compile("/ent/([a-z]+)/v1/account-count").matcher(req.path());
      boolean known = path.matches() && ENTERPRISES.contains(path.group(1));
      if (known) {
        hits.computeIfAbsent(path.group(1), id -> new AtomicInteger()).incrementAndGet();
      }
      if (!known || !signer.verify(req.headers(), "POST", req.path(), body, System.currentTimeMillis())) {
        badSignatures.incrementAndGet();
        req.response().setStatusCode(401).end();
        return;
      }
      Object[] a = answers.get(path.group(1));
      if (a != null) {
        req.response().setStatusCode((Integer) a[0]).end((String) a[1]);
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    JsonArray enterprises = new JsonArray();
    for (String id : ENTERPRISES) {
      enterprises.add(new JsonObject().put("id", id).put("name", "测试").put("apps", new JsonArray().add("微信").add("QQ"))
          .put("baseUrl", "http://127.0.0.1:" + server.actualPort() + "/ent/" + id).put("keyId", "k-test").put("secret", "s-test")
          .put("timeoutMs", 1000).put("maxConcurrency", 2).put("maxQueue", 1)
          .put("circuitMaxFailures", "bulkhead".equals(id) ? 100 : 3).put("circuitResetMs", 60_000));
    }
    JsonObject config = new JsonObject().put("enterprises", enterprises)
        .put("redis", new JsonObject().put("connectionString", "redis://127.0.0.1:1/0"))
        .put("security", new JsonObject().put("dataKey", "ZGV2LW9ubHktZGF0YS1rZXktY2hhbmdlLWluLXByb2Q="));
    ctx = new AppContext(vertx, config, new SimpleMeterRegistry(), org.yzt.runtime.Roles.of(config), null, clock);
    vertx.deployVerticle(() -> new EnterpriseVerticle(ctx), new io.vertx.core.DeploymentOptions().setInstances(2))
        .await(10, TimeUnit.SECONDS);
    // one exchange with each enterprise but "circuit" before the tests: a cold JVM's first (class
    // loading, no JIT yet) and a new connection can outlast the 1 s peer timeout on a loaded machine.
    // Meant as a success; but one that times out is a transient failure its circuit counts, and the
    // circuit test counts to its threshold from zero (the others tolerate one failure more)
    var warmUps = new java.util.ArrayList<io.vertx.core.Future<?>>();
    for (String id : ENTERPRISES.stream().filter(id -> !"circuit".equals(id)).toList()) {
      answer(id, 200, "{\"requestId\":\"warm-up\",\"accounts\":[]}");
      warmUps.add(vertx.eventBus().request(Addresses.enterpriseCount(id), new JsonObject().put("phone", "13812345678")
          .put("requestId", "warm-up"), new DeliveryOptions().setSendTimeout(5000)));
    }
    io.vertx.core.Future.join(warmUps).otherwiseEmpty().await(6, TimeUnit.SECONDS);
    answers.clear();
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  static JsonObject ask(String enterprise) throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.enterpriseCount(enterprise),
            new JsonObject().put("phone", "13812345678").put("requestId", "r1"), new DeliveryOptions().setSendTimeout(5000))
        .await(6, TimeUnit.SECONDS).body();
  }

  static int failure(String enterprise) {
    try {
      ask(enterprise);
      return 200;
    } catch (ReplyException e) {
      return e.failureCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void answer(String enterprise, int status, String body) {
    answers.put(enterprise, new Object[] {status, body});
  }

  static int hits(String enterprise) {
    return hits.computeIfAbsent(enterprise, id -> new AtomicInteger()).get();
  }

  static double count(String name, String... tags) {
    io.micrometer.core.instrument.Counter c = ctx.metrics.find(name).tags(tags).counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void configuredAppsInOrderOmittedZeroUnknownIgnoredAndCounted() throws Exception {
    answer("apps", 200, "{\"requestId\":\"r1\",\"accounts\":[{\"app\":\"QQ\",\"count\":2},{\"app\":\"视频号\",\"count\":5}]}");
    double unknownBefore = count("yzt.enterprise.unknown.apps", "enterprise", "apps");
    int refusedBefore = badSignatures.get();
    JsonObject accounts = ask("apps").getJsonObject("accounts");
    assertEquals(new JsonObject().put("微信", 0).put("QQ", 2), accounts);
    assertEquals(1.0, count("yzt.enterprise.unknown.apps", "enterprise", "apps") - unknownBefore);
    assertEquals(refusedBefore, badSignatures.get(), "its signature verified");
  }

  @Test
  void negativeNonIntegerOrMissingCountsAreMalformedAndFinal() {
    for (String body : new String[] {
        "{\"accounts\":[{\"app\":\"QQ\",\"count\":-1}]}",
        "{\"accounts\":[{\"app\":\"QQ\",\"count\":1.5}]}",
        "{\"accounts\":[{\"app\":\"QQ\",\"count\":\"1\"}]}",
        "{\"accounts\":{}}",
        "not json"}) {
      answer("malformed", 200, body);
      assertEquals(502, failure("malformed"), body);
    }
  }

  @Test
  void requestsAreStampedWithTheNodesClockAndRefusedWhenItIsSixMinutesOff() throws Exception {
    answer("clock", 200, "{\"requestId\":\"r1\",\"accounts\":[]}");
    int refusedBefore = badSignatures.get();
    try {
      clock.advance(java.time.Duration.ofMinutes(-6)); // past SPEC §4's 5-minute skew
      assertEquals(400, failure("clock"), "the peer's 401: final");
      assertEquals(refusedBefore + 1, badSignatures.get(), "the peer refused the stamp: one request, not retried");
    } finally {
      clock.reset();
    }
    assertEquals(200, failure("clock"), "on time again: accepted");
    assertEquals(refusedBefore + 1, badSignatures.get());
  }

  @Test
  void statusesMapToTransientOrFinal() {
    answer("statuses", 404, "{}");
    assertEquals(400, failure("statuses"));
    answer("statuses", 400, "{}");
    assertEquals(400, failure("statuses"));
    answer("statuses", 429, "{}");
    assertEquals(503, failure("statuses"));
    answer("statuses", 408, "{}");
    assertEquals(503, failure("statuses"));
  }

  @Test
  void circuitOpensAfterRepeatedTransientFailuresAndFailsFast() {
    answer("circuit", 500, "{}");
    int before = hits("circuit");
    for (int i = 0; i < 3; i++) {
      assertEquals(503, failure("circuit"));
    }
    assertEquals(3, hits("circuit") - before, "each failure before the circuit opened reached the enterprise");
    assertEquals(503, failure("circuit"));
    assertEquals(3, hits("circuit") - before, "an open circuit does not call the enterprise");
  }

  @Test
  void timeoutIsTransientAndTheBulkheadRefusesBeyondItsBound() throws Exception {
    // no answer set for either: both hang
    long t0 = System.currentTimeMillis();
    assertEquals(503, failure("timeout"));
    assertTrue(System.currentTimeMillis() - t0 < 3000, "bounded by the 1 s timeout");
    // 2 connections + 1 queued: the fourth concurrent request is refused at once
    double bulkheadBefore = count("yzt.enterprise.requests", "enterprise", "bulkhead", "outcome", "bulkhead");
    var futures = new java.util.ArrayList<io.vertx.core.Future<?>>();
    var tookMs = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
    long start = System.currentTimeMillis();
    for (int i = 0; i < 4; i++) {
      futures.add(vertx.eventBus().request(Addresses.enterpriseCount("bulkhead"),
          new JsonObject().put("phone", "13812345678").put("requestId", "r" + i))
          .onComplete(ar -> tookMs.add(System.currentTimeMillis() - start)));
    }
    io.vertx.core.Future.join(futures).otherwiseEmpty().await(5, TimeUnit.SECONDS);
    for (io.vertx.core.Future<?> f : futures) {
      assertTrue(f.failed(), "the enterprise hangs: every request fails");
      assertEquals(503, ((ReplyException) f.cause()).failureCode());
    }
    // three wait for the 1 s timeout (two running, one queued); the fourth is refused at once
    long refusedFast = tookMs.stream().filter(ms -> ms < 500).count();
    long timedOut = tookMs.stream().filter(ms -> ms >= 900).count();
    assertEquals(1, refusedFast, "failed after " + tookMs + " ms");
    assertEquals(3, timedOut, "failed after " + tookMs + " ms");
    assertEquals(1.0, count("yzt.enterprise.requests", "enterprise", "bulkhead", "outcome", "bulkhead") - bulkheadBefore);
  }
}
