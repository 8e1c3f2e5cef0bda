package org.yzt.pipeline;

import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimFaults;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * A ninth enterprise added by configuration alone, and 200 queries through the pipeline (two
 * worker instances) with no loss and no duplicate text.
 */
class PipelineVolumeAndNinthTest {
  static RedisServer redisServer;
  static TestService service;
  static AppContext ctx;
  static PipelineFixtures.SmsStub sms;

  @BeforeAll
  static void start() {
    redisServer = RedisServer.startNew();
    JsonObject base = TestService.config(redisServer, PipelineFixtures.pipelineRoles());
    JsonObject ninth = base.getJsonArray("enterprises").getJsonObject(0).copy()
        .put("id", "xiaohongshu").put("name", "小红书").put("apps", new JsonArray().add("小红书"))
        .put("hotline", "4006401999").put("guideUrl", "https://www.xiaohongshu.com/")
        .put("keyId", "yzt-xhs").put("secret", "dev-secret-ent-xhs");
    ninth.put("baseUrl", ninth.getString("baseUrl").replace("/tencent", "/xiaohongshu"));
    base.getJsonArray("enterprises").add(ninth);
    base.getJsonObject("verticles").getJsonObject("pipeline").put("instances", 2);
    service = TestService.start(base);
    ctx = service.context();
    sms = new PipelineFixtures.SmsStub(service.vertx());
  }

  @AfterAll
  static void stop() {
    service.close();
    redisServer.close();
  }

  @Test
  void ninthEnterpriseFromConfigIsAskedAndListedLast() {
    String q = PipelineFixtures.submitNow(ctx, "13800138000", "12345X", 30_000);
    assertTrue(waitUntil(10_000, () -> "DONE".equals(PipelineFixtures.status(ctx.redis, q))));
    String text = sms.delivered.stream().filter(s -> s.messageId().equals(q + "-r")).findFirst().orElseThrow().text();
    // the demo subscriber lists no accounts at the ninth: 0, after 美团, in configured order
    assertTrue(text.contains("美团1个，小红书0个，共11个。"), text);
    assertEquals(1, ctx.shared(SimFaults.class, SimFaults::new).requests("enterprise:xiaohongshu", "13800138000"));
  }

  @Test
  void twoHundredQueriesNoLossNoDuplicate() {
    int n = 200; // 1,000 and more in bench/ (PipelineBenchmark): the same check, a fifth of the time
    Map<String, String> phoneByQuery = new HashMap<>();
    List<Future<String>> submitted = new ArrayList<>();
    List<String> phones = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String phone = "186" + String.format("%08d", 10_000_000 + i * 7919);
      phones.add(phone);
      submitted.add(PipelineFixtures.submit(ctx, phone, "123456", 60_000));
    }
    PipelineFixtures.await(Future.all(submitted));
    for (int i = 0; i < n; i++) {
      phoneByQuery.put(submitted.get(i).result(), phones.get(i));
    }
    long start = System.currentTimeMillis();
    assertTrue(waitUntil(60_000, () -> phoneByQuery.keySet().stream()
        .allMatch(q -> sms.callsByMessageId.containsKey(q + "-r"))), "all texts sent");
    long took = System.currentTimeMillis() - start;
    assertTrue(waitUntil(10_000, () -> phoneByQuery.keySet().stream()
        .allMatch(q -> "DONE".equals(PipelineFixtures.status(ctx.redis, q)))));
    Set<String> seen = new HashSet<>();
    for (Map.Entry<String, String> e : phoneByQuery.entrySet()) {
      String id = e.getKey() + "-r";
      assertEquals(1, sms.callsByMessageId.get(id), "one call for " + id);
      PipelineFixtures.SmsStub.Sms m = sms.delivered.stream().filter(s -> s.messageId().equals(id)).findFirst().orElseThrow();
      assertEquals(e.getValue(), m.to());
      assertTrue(seen.add(m.messageId()));
    }
    for (org.yzt.store.Shard shard : Layout.KEYS.shards(false)) {
      assertEquals("0", redisServer.cli("XLEN", shard.stream()).trim(), shard.stream());
    }
    System.out.println(n + " queries through the pipeline in " + took + " ms");
  }
}
