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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.yzt.testing.ManualClock;
import org.yzt.bus.EventBusSetup;
import org.yzt.partner.RequestSigner;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;

/**
 * The enterprise connector alone, over the event bus, against a test server that speaks the
 * protocol (and checks signatures) with whatever status or body a test wants.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class EnterpriseConnectorTest {
  static Vertx vertx;
  static HttpServer server;
  static AppContext ctx;
  static final AtomicInteger hits = new AtomicInteger();
  static final AtomicInteger badSignatures = new AtomicInteger();
  static final AtomicReference<Object[]> answer = new AtomicReference<>(); // {status, body} or null = hang
  /** The node's clock; the test peer checks signatures on the system clock, as a partner on NTP time. */
  static final ManualClock clock = new ManualClock();

  @BeforeAll
  static void start() throws Exception {
    vertx = Vertx.vertx();
    EventBusSetup.registerCodecs(vertx);
    RequestSigner signer = new RequestSigner("k-test", "s-test");
    server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      hits.incrementAndGet();
      if (!signer.verify(req.headers(), "POST", req.path(), body, System.currentTimeMillis())
          || !req.path().matches("/ent/t[12]/v1/account-count")) {
        badSignatures.incrementAndGet();
        req.response().setStatusCode(401).end();
        return;
      }
      Object[] a = answer.get();
      if (a != null) {
        req.response().setStatusCode((Integer) a[0]).end((String) a[1]);
      }
    })).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    JsonObject ent = new JsonObject().put("id", "t1").put("name", "测试").put("apps", new JsonArray().add("微信").add("QQ"))
        .put("baseUrl", "http://127.0.0.1:" + server.actualPort() + "/ent/t1").put("keyId", "k-test").put("secret", "s-test")
        .put("timeoutMs", 1000).put("maxConcurrency", 2).put("maxQueue", 1).put("circuitMaxFailures", 3).put("circuitResetMs", 60_000);
    JsonObject bulkheaded = ent.copy().put("id", "t2").put("baseUrl", ent.getString("baseUrl").replace("/t1", "/t2"))
        .put("circuitMaxFailures", 100);
    JsonObject config = new JsonObject().put("enterprises", new JsonArray().add(ent).add(bulkheaded))
        .put("redis", new JsonObject().put("connectionString", "redis://127.0.0.1:1/0"))
        .put("security", new JsonObject().put("dataKey", "ZGV2LW9ubHktZGF0YS1rZXktY2hhbmdlLWluLXByb2Q="));
    ctx = new AppContext(vertx, config, new SimpleMeterRegistry(), org.yzt.runtime.Roles.of(config), null, clock);
    vertx.deployVerticle(() -> new EnterpriseVerticle(ctx), new io.vertx.core.DeploymentOptions().setInstances(2))
        .await(10, TimeUnit.SECONDS);
    // one exchange before the tests, on the other enterprise: a cold JVM's first (class loading,
    // no JIT yet) can outlast the 1 s peer timeout on a loaded machine
    answer(200, "{\"requestId\":\"warm-up\",\"accounts\":[]}");
    vertx.eventBus().request(Addresses.enterpriseCount("t2"), new JsonObject().put("phone", "13812345678")
        .put("requestId", "warm-up"), new DeliveryOptions().setSendTimeout(5000)).otherwiseEmpty().await(6, TimeUnit.SECONDS);
    answer.set(null);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void reset() {
    hits.set(0); // (an open circuit stays open until its reset timeout: the tests that open it run last)
  }

  static JsonObject ask() throws Exception {
    return vertx.eventBus().<JsonObject>request(Addresses.enterpriseCount("t1"),
            new JsonObject().put("phone", "13812345678").put("requestId", "r1"), new DeliveryOptions().setSendTimeout(5000))
        .await(6, TimeUnit.SECONDS).body();
  }

  static int failure() {
    try {
      ask();
      return 200;
    } catch (ReplyException e) {
      return e.failureCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void answer(int status, String body) {
    answer.set(new Object[] {status, body});
  }

  @Test
  @org.junit.jupiter.api.Order(1)
  void configuredAppsInOrderOmittedZeroUnknownIgnoredAndCounted() throws Exception {
    answer(200, "{\"requestId\":\"r1\",\"accounts\":[{\"app\":\"QQ\",\"count\":2},{\"app\":\"视频号\",\"count\":5}]}");
    JsonObject accounts = ask().getJsonObject("accounts");
    assertEquals(new JsonObject().put("微信", 0).put("QQ", 2), accounts);
    assertEquals(1.0, ctx.metrics.counter("yzt.enterprise.unknown.apps", "enterprise", "t1").count());
    assertEquals(0, badSignatures.get());
  }

  @Test
  @org.junit.jupiter.api.Order(2)
  void negativeNonIntegerOrMissingCountsAreMalformedAndFinal() {
    for (String body : new String[] {
        "{\"accounts\":[{\"app\":\"QQ\",\"count\":-1}]}",
        "{\"accounts\":[{\"app\":\"QQ\",\"count\":1.5}]}",
        "{\"accounts\":[{\"app\":\"QQ\",\"count\":\"1\"}]}",
        "{\"accounts\":{}}",
        "not json"}) {
      answer(200, body);
      assertEquals(502, failure(), body);
    }
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void requestsAreStampedWithTheNodesClockAndRefusedWhenItIsSixMinutesOff() throws Exception {
    answer(200, "{\"requestId\":\"r2\",\"accounts\":[]}");
    int refusedBefore = badSignatures.get();
    try {
      clock.advance(java.time.Duration.ofMinutes(-6)); // past SPEC §4's 5-minute skew
      assertEquals(400, failureOf("t2"), "the peer's 401: final");
      assertEquals(refusedBefore + 1, badSignatures.get(), "the peer refused the stamp: one request, not retried");
    } finally {
      clock.reset();
    }
    assertEquals(200, failureOf("t2"), "on time again: accepted");
    assertEquals(refusedBefore + 1, badSignatures.get());
  }

  /** The status of asking enterprise {@code id}: 200 when it answered, else the failure code of the reply. */
  static int failureOf(String id) {
    try {
      vertx.eventBus().<JsonObject>request(Addresses.enterpriseCount(id),
          new JsonObject().put("phone", "13812345678").put("requestId", "r2"), new DeliveryOptions().setSendTimeout(5000))
          .await(6, TimeUnit.SECONDS);
      return 200;
    } catch (ReplyException e) {
      return e.failureCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  @org.junit.jupiter.api.Order(3)
  void statusesMapToTransientOrFinal() {
    answer(404, "{}");
    assertEquals(400, failure());
    answer(400, "{}");
    assertEquals(400, failure());
    answer(429, "{}");
    assertEquals(503, failure());
    answer(408, "{}");
    assertEquals(503, failure());
  }

  @Test
  @org.junit.jupiter.api.Order(5)
  void circuitOpensAfterRepeatedTransientFailuresAndFailsFast() {
    answer(500, "{}");
    for (int i = 0; i < 3; i++) {
      assertEquals(503, failure());
    }
    int before = hits.get();
    assertEquals(503, failure());
    assertEquals(before, hits.get(), "an open circuit does not call the enterprise");
  }

  @Test
  @org.junit.jupiter.api.Order(4)
  void timeoutIsTransientAndTheBulkheadRefusesBeyondItsBound() throws Exception {
    answer.set(null); // hang
    long t0 = System.currentTimeMillis();
    assertEquals(503, failure());
    assertTrue(System.currentTimeMillis() - t0 < 3000, "bounded by the 1 s timeout");
    // 2 connections + 1 queued: the fourth concurrent request is refused at once
    var futures = new java.util.ArrayList<io.vertx.core.Future<?>>();
    var tookMs = new java.util.concurrent.ConcurrentLinkedQueue<Long>();
    long start = System.currentTimeMillis();
    for (int i = 0; i < 4; i++) {
      futures.add(vertx.eventBus().request(Addresses.enterpriseCount("t2"),
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
    assertEquals(1.0, ctx.metrics.counter("yzt.enterprise.requests", "enterprise", "t2", "outcome", "bulkhead").count());
  }
}
