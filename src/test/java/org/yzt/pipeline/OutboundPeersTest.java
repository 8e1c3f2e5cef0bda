package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.contract.Addresses;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §11, outbound HTTP: peers that misbehave at the HTTP level. Tencent answers a 5 MB body
 * (a valid answer if it were read), Alibaba a 303 to a valid answer, Baidu trickles one byte per
 * second for one number, and the carrier for prefix 192 fails until told otherwise.
 */
class OutboundPeersTest {
  static final String TRICKLE_PHONE = "13812340000";
  /** A number of prefix 192 (cbn, this class's carrier stub) that the carrier answers NOT_FOUND for. */
  static final String NOT_FOUND_PHONE = "19212340404";
  static final Vertx peers = Vertx.vertx();
  static final HttpServer server = startServer();
  static final AtomicBoolean carrierFails = new AtomicBoolean(true);
  static final AtomicInteger carrierHits = new AtomicInteger();
  static final AtomicInteger trickles = new AtomicInteger();
  static final AtomicInteger tricklesClosed = new AtomicInteger();
  static PipelineFixtures.SmsStub sms;
  /** The size of /big's answer per number. */
  static final java.util.Map<String, Integer> BODY_BYTES = new java.util.concurrent.ConcurrentHashMap<>();

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(OutboundPeersTest::config);

  static JsonObject config(RedisServer redis) {
    JsonObject config = TestService.config(redis, PipelineFixtures.pipelineRoles()
        .put("pipeline", new JsonObject().put("retryInitialMs", 100).put("retryMaxMs", 1000).put("blockMs", 200)));
    String base = "http://127.0.0.1:" + server.actualPort();
    JsonArray enterprises = config.getJsonArray("enterprises");
    for (int i = 0; i < enterprises.size(); i++) {
      JsonObject e = enterprises.getJsonObject(i);
      switch (e.getString("id")) {
        case "tencent" -> e.put("baseUrl", base + "/big");
        case "alibaba" -> e.put("baseUrl", base + "/redirect");
        case "baidu" -> e.put("baseUrl", base + "/trickle").put("timeoutMs", 1000);
        default -> { }
      }
    }
    JsonArray carriers = config.getJsonArray("carriers");
    for (int i = 0; i < carriers.size(); i++) {
      JsonObject c = carriers.getJsonObject(i);
      if (c.getString("id").equals("cbn")) {
        c.put("baseUrl", base + "/carrier").put("circuitMaxFailures", 3).put("circuitResetMs", 1000).put("timeoutMs", 1000);
      }
    }
    return config;
  }

  static HttpServer startServer() {
    try {
      return peers.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> answer(req, b.toJsonObject())))
          .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static void answer(HttpServerRequest req, JsonObject body) {
    String path = req.path();
    if (path.startsWith("/big")) {
      // a well-formed answer of exactly the size asked for this number (5 MiB for any other): only a
      // client reading more than http.client.maxResponseBytes would use it
      int size = BODY_BYTES.getOrDefault(body.getString("phone"), 5 * 1024 * 1024);
      JsonObject answer = new JsonObject()
          .put("accounts", new JsonArray().add(new JsonObject().put("app", "微信").put("count", 1))).put("pad", "");
      int base = answer.toBuffer().length();
      req.response().putHeader("Content-Type", "application/json")
          .end(answer.put("pad", "x".repeat(size - base)).toBuffer());
    } else if (path.startsWith("/redirect")) {
      req.response().setStatusCode(303).putHeader("Location", "http://127.0.0.1:" + server.actualPort() + "/ok").end();
    } else if (path.startsWith("/ok")) {
      req.response().putHeader("Content-Type", "application/json")
          .end(new JsonObject().put("accounts", new JsonArray().add(new JsonObject().put("app", "淘宝").put("count", 1))).encode());
    } else if (path.startsWith("/trickle") && TRICKLE_PHONE.equals(body.getString("phone"))) {
      trickles.incrementAndGet();
      req.response().setChunked(true).putHeader("Content-Type", "application/json").write("{");
      long id = peers.setPeriodic(1000, t -> req.response().write(" "));
      req.response().closeHandler(v -> {
        peers.cancelTimer(id);
        tricklesClosed.incrementAndGet();
      });
    } else if (path.startsWith("/trickle")) {
      req.response().end(new JsonObject().put("accounts", new JsonArray()
          .add(new JsonObject().put("app", "百度").put("count", 1))).encode());
    } else if (path.startsWith("/carrier") && NOT_FOUND_PHONE.equals(body.getString("phone"))) {
      // a number the carrier does not know: no simulator answers NOT_FOUND for its own prefixes
      req.response().end(new JsonObject().put("requestId", body.getString("requestId")).put("result", "NOT_FOUND").encode());
    } else if (path.startsWith("/carrier")) {
      carrierHits.incrementAndGet();
      if (carrierFails.get()) {
        req.response().setStatusCode(500).end("{}");
      } else {
        req.response().end(new JsonObject().put("requestId", body.getString("requestId")).put("result", "MATCH").encode());
      }
    } else {
      req.response().setStatusCode(404).end();
    }
  }

  @BeforeAll
  static void stub() {
    sms = new PipelineFixtures.SmsStub(app.service().vertx());
  }

  @AfterAll
  static void stopPeers() throws Exception {
    peers.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aFiveMegabyteBodyAndA303FailThoseEnterprisesAtOnceAndTheOthersAreCounted() {
    String phone = org.yzt.testing.Numbers.fresh("138");
    var ctx = app.service().context();
    long t0 = System.currentTimeMillis();
    String q = PipelineFixtures.submitNow(ctx, phone, "123456", 120_000);
    assertTrue(waitUntil(15_000, () -> !sms.to(phone).isEmpty()), "the text went out long before the deadline");
    assertTrue(System.currentTimeMillis() - t0 < 15_000);
    String text = sms.to(phone).get(0).text();
    assertTrue(text.contains("微信暂无法查询，QQ暂无法查询，淘宝暂无法查询，支付宝"), text);
    assertTrue(text.contains("百度1个"), text);
    assertTrue(text.matches(".*支付宝\\d个，.*快手\\d个，抖音\\d个，京东\\d个，美团\\d个，共\\d+个。.*"), text);
    // the job is marked DONE right after the gateway took the text
    assertTrue(waitUntil(5_000, () -> "DONE".equals(PipelineFixtures.job(ctx.redis, q).get("st"))), "the job ends DONE");
  }

  /** 200 when {@code yzt.enterprise.count.<enterprise>} answers for {@code phone}, else the failure's code. */
  static int countStatus(String enterprise, String phone, String requestId) {
    try {
      app.service().vertx().eventBus().request(Addresses.enterpriseCount(enterprise),
              new JsonObject().put("phone", phone).put("requestId", requestId), new DeliveryOptions().setSendTimeout(10_000))
          .await(15, TimeUnit.SECONDS);
      return 200;
    } catch (ReplyException e) {
      return e.failureCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aNumberTheCarrierDoesNotKnowGetsTheFailureText() {
    // SPEC §3: carrier answer MISMATCH or NOT_FOUND: send the failure SMS (§6), status FAILED
    var ctx = app.service().context();
    String q = PipelineFixtures.submitNow(ctx, NOT_FOUND_PHONE, "123456", 30_000);
    assertTrue(waitUntil(15_000, () -> "FAILED".equals(PipelineFixtures.status(ctx.redis, q))),
        "still " + PipelineFixtures.status(ctx.redis, q));
    assertEquals(List.of("【一证通查】您的查询未通过身份核验：手机号码与身份证号码后六位不一致。请核对后于24小时后重新查询。"),
        sms.to(NOT_FOUND_PHONE).stream().map(PipelineFixtures.SmsStub.Sms::text).toList());
  }

  @Test
  void aBodyOfExactlyTheCapIsReadAndOneByteMoreIsAMalformedBody() throws Exception {
    // SPEC §11: http.client.maxResponseBytes, 65,536 by default; a longer body is a malformed body
    String atCap = "13811165536";
    String overCap = "13811165537";
    BODY_BYTES.put(atCap, 65_536);
    BODY_BYTES.put(overCap, 65_537);
    JsonObject taken = app.service().vertx().eventBus().<JsonObject>request(Addresses.enterpriseCount("tencent"),
            new JsonObject().put("phone", atCap).put("requestId", "cap-1"), new DeliveryOptions().setSendTimeout(10_000))
        .transform(ar -> io.vertx.core.Future.succeededFuture(ar.succeeded() ? ar.result().body()
            : new JsonObject().put("failed", String.valueOf(ar.cause()))))
        .await(15, TimeUnit.SECONDS);
    assertEquals(null, taken.getString("failed"), "a body of 65,536 bytes is read: " + taken);
    assertTrue(taken.encode().contains("微信"), taken.encode());
    int code = countStatus("tencent", overCap, "cap-2");
    assertNotEquals(200, code, "a body of 65,537 bytes is refused");
    assertNotEquals(503, code, "a body over the cap is a malformed body (final), not a transient failure");
  }

  @Test
  void anEnterpriseTricklingOneBytePerSecondIsCutAtItsDeadline() {
    long t0 = System.currentTimeMillis();
    int code = countStatus("baidu", TRICKLE_PHONE, "trickle-1");
    long took = System.currentTimeMillis() - t0;
    // the request reached the peer (else "closed" below would hold of a connection never made)
    assertEquals(1, trickles.get(), "the trickling peer was asked once");
    assertEquals(503, code, "no answer in time is transient");
    assertTrue(took < 2_000, "cut at its 1 s deadline, not after " + took + " ms");
    assertTrue(waitUntil(2_000, () -> tricklesClosed.get() == trickles.get()), "the connection was closed");
  }

  @Test
  void aCarrierBreakerOpensAfterRepeatedFailuresAndClosesAgain() {
    var registry = app.service().context().metrics;
    carrierFails.set(true);
    for (int i = 0; i < 3; i++) {
      assertEquals(503, verify());
    }
    assertEquals(2.0, registry.get("yzt.carrier.circuit.state").tag("carrier", "cbn").tag("endpoint", "verify").gauge().value(), "open");
    int hits = carrierHits.get();
    assertEquals(503, verify());
    assertEquals(hits, carrierHits.get(), "an open circuit does not call the carrier");
    carrierFails.set(false);
    assertTrue(waitUntil(5_000, () -> verify() == 200), "tried again after its reset time");
    assertEquals(0.0, registry.get("yzt.carrier.circuit.state").tag("carrier", "cbn").tag("endpoint", "verify").gauge().value(), "closed");
  }

  private static int verify() {
    try {
      app.service().vertx().eventBus().request(Addresses.CARRIER_VERIFY,
              new JsonObject().put("phone", "19212345678").put("idLast6", "123456").put("requestId", "c-1"),
              new DeliveryOptions().setSendTimeout(5_000))
          .await(6, TimeUnit.SECONDS);
      return 200;
    } catch (ReplyException e) {
      return e.failureCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
