package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;

/**
 * The whole service as a newcomer runs it (dev profile, all simulators, real SMS verticle): from the
 * captcha to the result text in the simulator's inbox, for the demo subscribers of conf/.
 */
@ExtendWith(VertxExtension.class)
class EndToEndTest {
  @RegisterExtension
  // every simulated peer (carrier, enterprises, SMS gateway) answers 400 ms late, so that each stage
  // of SPEC §3 lasts long enough to be seen by a client polling the status every 10 ms (800 ms before:
  // a full query was 3 s of waiting)
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("simulators", new JsonObject().put("latencyMs", 400)));

  /** Statuses seen while polling, until DONE or FAILED. */
  private static List<String> follow(String queryId) throws InterruptedException {
    List<String> seen = new ArrayList<>();
    long until = System.currentTimeMillis() + 20_000;
    while (System.currentTimeMillis() < until) {
      HttpResponse<Buffer> r = app.api().get("/api/v1/queries/" + queryId);
      assertEquals(200, r.statusCode());
      String status = r.bodyAsJsonObject().getString("status");
      if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
        seen.add(status);
      }
      if (status.equals("DONE") || status.equals("FAILED")) {
        return seen;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("query did not finish; saw " + seen);
  }

  private static String accept(String phone, String idLast6) {
    HttpResponse<Buffer> r = app.api().submit(phone, idLast6, app.api().codeFor(phone));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("queryId");
  }

  @Test
  void forwardedForFromAnUntrustedPeerIsIgnored() {
    // this service trusts no proxy: the socket peer is the client whatever the header says
    HttpResponse<Buffer> r = app.api().as("203.0.113.66").send(io.vertx.core.http.HttpMethod.POST, "/api/v1/captcha",
        null, null, null);
    assertEquals(201, r.statusCode());
    var keys = app.service().context().keys;
    assertEquals("1", app.redis().cli("EXISTS", keys.rateLimit("captcha", "127.0.0.1")).trim());
    assertEquals("0", app.redis().cli("EXISTS", keys.rateLimit("captcha", "203.0.113.66")).trim());
  }

  @Test
  void theDemoSubscriberGetsTheResultText() throws Exception {
    String queryId = accept("13800138000", "12345x");
    List<String> seen = follow(queryId);
    PipelineFixtures.assertStagesInOrder(seen, "DONE", "VERIFYING", "QUERYING", "NOTIFYING");
    JsonArray inbox = app.api().inbox("13800138000");
    assertEquals(2, inbox.size(), inbox.encodePrettily());
    JsonObject result = inbox.getJsonObject(0);
    assertEquals("10699000", result.getString("sender"));
    assertEquals("【一证通查】您的号码138****8000关联的互联网账号：微信1个，QQ2个，淘宝1个，支付宝1个，百度1个，快手1个，"
        + "抖音1个，京东2个，美团1个，共11个。如有异议，请在查询页“解绑与明细查询”或拨打企业客服电话处理。", result.getString("text"));
    // the code text came first
    assertTrue(inbox.getJsonObject(1).getString("text").contains("验证码"));
  }

  @Test
  void idDigitsThatDoNotMatchGetTheFailureText() throws Exception {
    String queryId = accept("13900139000", "12345X");
    List<String> seen = follow(queryId);
    // the failure text is sent before the job ends FAILED: NOTIFYING is seen too
    PipelineFixtures.assertStagesInOrder(seen, "FAILED", "VERIFYING", "NOTIFYING");
    assertEquals("【一证通查】您的查询未通过身份核验：手机号码与身份证号码后六位不一致。请核对后于24小时后重新查询。",
        app.api().inbox("13900139000").getJsonObject(0).getString("text"));
    // the number's window is taken whether the query succeeds or fails
    assertEquals("QUERY_LIMIT", Api.errorCode(app.api().requestCode("13900139000")));
  }

  @Test
  void aCancelledNumberFailsWithoutAText() throws Exception {
    String queryId = accept("13700137000", "12345X");
    List<String> seen = follow(queryId);
    PipelineFixtures.assertStagesInOrder(seen, "FAILED", "VERIFYING");
    org.yzt.sim.SimFaults faults = app.service().context().shared(org.yzt.sim.SimFaults.class, org.yzt.sim.SimFaults::new);
    for (org.yzt.config.EnterpriseConfig e : org.yzt.config.EnterpriseConfig.all(app.service().context().config)) {
      assertEquals(0, faults.requests("enterprise:" + e.id(), "13700137000"), "a cancelled number's enterprises are not asked");
    }
    assertEquals(1, faults.requests("carrier:cmcc", "13700137000"), "the carrier is asked once");
    // a text would be sent before the job ends FAILED (the failure text is: see above), so none can come later
    JsonArray inbox = app.api().inbox("13700137000");
    assertEquals(1, inbox.size(), "only the code text: " + inbox.encode());
  }

  @Test
  void afterAFullRunEveryKeyThatCouldHoldPersonalDataExpires() throws Exception {
    // SPEC §9: all personal data in Redis expires. A whole query first (captcha, code, query, result text)
    String phone = org.yzt.testing.Numbers.fresh();
    String queryId = accept(phone, "12345X");
    PipelineFixtures.assertStagesInOrder(follow(queryId), "DONE");
    List<String> persistent = new ArrayList<>();
    for (String key : app.redis().cli("KEYS", "*").split("\n")) {
      if (key.isBlank()) {
        continue;
      }
      long pttl = Long.parseLong(app.redis().cli("PTTL", key).trim());
      String type = app.redis().cli("TYPE", key).trim();
      // without a TTL only what holds no personal data: the job streams (entries name a query id; the
      // dead-letter stream's sealed copies have a retention sweep of their own), the set of parked job
      // ids, and the global send budget's log (random members, one per text)
      // (each shard's set and part), and the shard count the jobs were written under
      boolean allowed = type.equals("stream") || key.startsWith("yzt:jobs:delayed")
          || key.startsWith("yzt:budget:glob") || key.equals(org.yzt.store.RedisKeys.SHARD_COUNT);
      if (pttl < 0 && !allowed) {
        persistent.add(key + " (" + type + ")");
      }
    }
    assertEquals(List.of(), persistent, "keys that never expire");
  }

  @Test
  void aTextTheGatewayRefusesForGoodEndsTheQueryFailedAtOnce() {
    var ctx = app.service().context();
    var inbox = org.yzt.testing.SmsTestSupport.inbox(ctx);
    double failedBefore = ctx.metrics.counter("yzt.pipeline.jobs.finished", "kind", "accounts", "status", "FAILED").count();
    String phone = org.yzt.testing.Numbers.fresh();
    // SPEC §4: a 4xx other than 408/429 is permanent; it is not retried until deadline + 1 h
    inbox.failNext(1, 400);
    try {
      String q = PipelineFixtures.submitNow(ctx, phone, "123456", 30_000);
      assertTrue(org.yzt.testing.Wait.waitUntil(10_000, () -> "FAILED".equals(PipelineFixtures.status(ctx.redis, q))),
          "still " + PipelineFixtures.status(ctx.redis, q));
      assertEquals("sms", PipelineFixtures.job(ctx.redis, q).get("why"));
      assertEquals(1, inbox.requestsFor(q + "-r") + inbox.requestsFor(q + "-f"), "asked the gateway once");
      assertTrue(inbox.messages(phone).isEmpty());
      assertTrue(org.yzt.testing.Wait.waitUntil(2_000,
          () -> ctx.metrics.counter("yzt.pipeline.jobs.finished", "kind", "accounts", "status", "FAILED").count() == failedBefore + 1),
          "counted as FAILED");
    } finally {
      inbox.clearFaults();
    }
  }
}
