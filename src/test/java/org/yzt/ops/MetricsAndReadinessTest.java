package org.yzt.ops;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.contract.Addresses;
import org.yzt.sim.SimFaults;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * {@code /metrics} after a real query shows the business metrics of issue 5 under their real names,
 * and no label carries a number; {@code /ready} reports Redis, the verticles, the event bus and each
 * enterprise's circuit, and stays UP while a circuit is open.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsAndReadinessTest {
  static final String PHONE = "13800138000";
  static final String FAILING_PHONE = "15000000001";
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(redis -> {
    JsonObject config = TestService.config(redis, new JsonObject()
        .put("pipeline", new JsonObject().put("metricsPollMs", 200)));
    // meituan's circuit opens after two transient failures and stays open for a minute
    JsonObject meituan = config.getJsonArray("enterprises").getJsonObject(7);
    assertEquals("meituan", meituan.getString("id"));
    meituan.put("circuitMaxFailures", 2).put("circuitResetMs", 60_000);
    return config;
  });

  private static String metrics() {
    HttpResponse<Buffer> r = app.api().get("/metrics");
    assertEquals(200, r.statusCode());
    return r.bodyAsString();
  }

  /** The value of the first sample line starting with {@code prefix}. */
  private static double sample(String text, String prefix) {
    for (String line : text.split("\n")) {
      if (line.startsWith(prefix)) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no sample " + prefix + " in\n" + text);
  }

  @Test
  @Order(1)
  void metricsShowTheQueryAndNoNumber() throws Exception {
    String code = app.api().codeFor(PHONE);
    HttpResponse<Buffer> accepted = app.api().submit(PHONE, "12345X", code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    org.yzt.testing.Wait.await(20_000, "the query finished",
        () -> "DONE".equals(app.api().get("/api/v1/queries/" + queryId).bodyAsJsonObject().getString("status")));
    // the stream gauges are polled: wait for a poll after the job finished (its entry acknowledged)
    org.yzt.testing.Wait.await(10_000, "a gauge poll after the job finished",
        () -> sample(metrics(), "yzt_pipeline_stream_pending ") == 0.0 && sample(metrics(), "yzt_pipeline_stream_length ") == 0.0);

    String m = metrics();
    assertEquals(1.0, sample(m, "yzt_api_requests_total{kind=\"accounts\",outcome=\"ok\",route=\"queries\"}"));
    assertEquals(1.0, sample(m, "yzt_api_requests_total{kind=\"accounts\",outcome=\"ok\",route=\"sms-codes\"}"));
    assertTrue(sample(m, "yzt_api_latency_seconds_count{route=\"queries\"}") >= 1);
    assertTrue(sample(m, "yzt_captcha_issued_total") >= 1);
    assertTrue(sample(m, "yzt_captcha_verified_total{result=\"ok\"}") >= 1);
    assertTrue(sample(m, "yzt_sms_messages_total{outcome=\"queued\"}") >= 2, "code and result texts");
    for (String stage : new String[] {"verifying", "querying", "notifying"}) {
      assertEquals(1.0, sample(m, "yzt_pipeline_stage_duration_seconds_count{kind=\"accounts\",stage=\"" + stage + "\"}"), stage);
    }
    assertTrue(m.contains("yzt_pipeline_stage_duration_seconds_bucket{kind=\"accounts\",stage=\"querying\",le="), "stage histogram");
    assertEquals(1.0, sample(m, "yzt_pipeline_job_duration_seconds_count{kind=\"accounts\",status=\"DONE\"}"));
    assertEquals(1.0, sample(m, "yzt_pipeline_jobs_finished_total{kind=\"accounts\",status=\"DONE\"}"));
    assertEquals(1.0, sample(m, "yzt_enterprise_requests_total{enterprise=\"tencent\",outcome=\"ok\"}"));
    assertEquals(1.0, sample(m, "yzt_enterprise_latency_seconds_count{enterprise=\"jd\"}"));
    assertEquals(0.0, sample(m, "yzt_enterprise_circuit_state{enterprise=\"alipay\"}"));
    assertEquals(0.0, sample(m, "yzt_pipeline_stream_length "));
    assertEquals(0.0, sample(m, "yzt_pipeline_stream_pending "));
    assertEquals(0.0, sample(m, "yzt_pipeline_jobs_delayed "));
    assertEquals(0.0, sample(m, "yzt_pipeline_dead_letter_length "));
    assertTrue(sample(m, "yzt_pipeline_stream_poll_age_seconds ") < 5);
    assertEquals(0.0, sample(m, "yzt_pipeline_dead_letters_total "));
    assertEquals(0.0, sample(m, "yzt_api_requests_in_flight "), "every API request answered");
    assertTrue(m.contains("vertx_eventbus_processed_total"), "Vert.x event-bus metrics");

    // no number, masked or not, no ID digits and no query id anywhere; no label value with 11 digits
    assertFalse(m.contains(PHONE), "a number in /metrics");
    assertFalse(m.contains("138****"), "a masked number in /metrics");
    assertFalse(m.contains("12345X"), "ID digits in /metrics");
    assertFalse(m.contains(queryId), "a query id in /metrics");
    Matcher labels = Pattern.compile("(\\w+)=\"([^\"]*)\"").matcher(m);
    while (labels.find()) {
      if (!labels.group(1).equals("le")) { // histogram bucket bounds are numbers by design
        // a mobile number standing alone (a pool's random UUID may hold digit runs: that is no number)
        assertFalse(Pattern.compile("(?<![0-9A-Za-z])(\\+?86)?1[3-9]\\d{9}(?![0-9A-Za-z])").matcher(labels.group(2)).find(),
            "a number in a label: " + labels.group());
      }
    }
  }

  @Test
  @Order(2) // right after the query: the gauges above read 0, and here they read what Redis holds
  void theStreamGaugesFollowWhatRedisHolds() {
    // a job parked far in the future and a dead letter: what the gauges must count (a gauge stuck at 0 reads 0 above)
    app.redis().cli("ZADD", Layout.KEYS.shard(0).delayed(), "9999999999999", "gauge-probe");
    app.redis().cli("XADD", Layout.KEYS.shard(0).deadLetters(), "*", "q", "gauge-probe");
    app.redis().cli("XADD", Layout.KEYS.shard(0).deadLetters(), "*", "q", "gauge-probe-2");
    try {
      assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> {
        String m = metrics();
        return sample(m, "yzt_pipeline_jobs_delayed ") == 1.0 && sample(m, "yzt_pipeline_dead_letter_length ") == 2.0;
      }), "the gauges read what Redis holds: " + metrics());
    } finally {
      app.redis().cli("ZREM", Layout.KEYS.shard(0).delayed(), "gauge-probe");
      app.redis().cli("DEL", Layout.KEYS.shard(0).deadLetters());
    }
  }

  @Test
  @Order(4) // opens a circuit: after the queries
  void readinessReportsTheEventBusAndCircuitsAndToleratesAnOpenCircuit() throws Exception {
    HttpResponse<Buffer> r = app.api().get("/ready");
    assertEquals(200, r.statusCode(), r.bodyAsString());
    JsonObject checks = checks(r.bodyAsJsonObject());
    assertEquals("UP", checks.getJsonObject("redis").getString("status"));
    assertEquals("UP", checks.getJsonObject("verticles").getString("status"));
    assertEquals("UP", checks.getJsonObject("eventbus").getString("status"));
    assertEquals(false, checks.getJsonObject("eventbus").getJsonObject("data").getBoolean("clustered"));
    JsonObject circuits = checks.getJsonObject("enterprises").getJsonObject("data").getJsonObject("circuits");
    assertEquals(8, circuits.size(), circuits.encode());
    assertEquals("CLOSED", circuits.getString("tencent"));

    // two 500s open meituan's circuit
    SimFaults faults = app.service().context().shared(SimFaults.class, SimFaults::new);
    faults.always("enterprise:meituan", FAILING_PHONE, SimFaults.Fault.status(500));
    for (int i = 0; i < 2; i++) {
      try {
        app.service().vertx().eventBus().request(Addresses.enterpriseCount("meituan"),
            new JsonObject().put("phone", FAILING_PHONE).put("requestId", "ready-test-" + i),
            new DeliveryOptions().setSendTimeout(10_000)).await(15, TimeUnit.SECONDS);
      } catch (Exception expected) {
        // 503: transient
      }
    }
    r = app.api().get("/ready");
    assertEquals(200, r.statusCode(), "an open circuit does not make the node unready: " + r.bodyAsString());
    JsonObject enterprises = checks(r.bodyAsJsonObject()).getJsonObject("enterprises");
    assertEquals("UP", enterprises.getString("status"));
    assertEquals("OPEN", enterprises.getJsonObject("data").getJsonObject("circuits").getString("meituan"));
    assertEquals(1, enterprises.getJsonObject("data").getInteger("notClosed"));
    assertEquals(2.0, sample(metrics(), "yzt_enterprise_circuit_state{enterprise=\"meituan\"}"));
    String body = r.bodyAsString();
    assertFalse(body.contains("http://") || body.contains("secret") || body.contains("127.0.0.1"), body);
  }

  @Test
  @Order(3) // SPEC §13 and issue 25: the same counters, per query kind
  void aPhoneCardQueryIsCountedUnderItsOwnKind() throws Exception {
    String phone = "13500135000";
    String code = app.api().codeFor(phone, "cards");
    HttpResponse<Buffer> accepted = app.api().submitCards(phone, "张三", "11010519491231002X", code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    org.yzt.testing.Wait.await(20_000, "the query finished", () -> "DONE".equals(app.api().queryStatus(queryId)));
    String m = metrics();
    assertEquals(1.0, sample(m, "yzt_api_requests_total{kind=\"cards\",outcome=\"ok\",route=\"sms-codes\"}"));
    assertEquals(1.0, sample(m, "yzt_api_requests_total{kind=\"cards\",outcome=\"ok\",route=\"card-queries\"}"));
    assertEquals(1.0, sample(m, "yzt_api_requests_total{kind=\"accounts\",outcome=\"ok\",route=\"queries\"}"),
        "the internet-account query is still one");
    assertEquals(1.0, sample(m, "yzt_pipeline_jobs_finished_total{kind=\"cards\",status=\"DONE\"}"));
    assertEquals(1.0, sample(m, "yzt_pipeline_stage_duration_seconds_count{kind=\"cards\",stage=\"querying\"}"));
    assertFalse(m.contains("张三") || m.contains("11010519491231002") || m.contains(phone), "no personal data in /metrics");
  }

  @Test
  @Order(5) // after the queries and some failures, every series the dashboard draws exists
  void theGrafanaDashboardUsesRealMetricNames() throws Exception {
    String dashboard = java.nio.file.Files.readString(java.nio.file.Path.of("docs/grafana-dashboard.json"));
    new JsonObject(dashboard); // valid JSON
    String m = metrics();
    Matcher names = Pattern.compile("\\b((?:yzt|vertx)_[a-z_]+)").matcher(dashboard);
    int seen = 0;
    while (names.find()) {
      seen++;
      assertTrue(m.contains(names.group(1)), "the dashboard names a metric /metrics does not have: " + names.group(1));
    }
    assertTrue(seen > 20, "the dashboard draws the business metrics");
  }

  private static JsonObject checks(JsonObject ready) {
    JsonObject out = new JsonObject();
    JsonArray list = ready.getJsonArray("checks");
    for (int i = 0; i < list.size(); i++) {
      out.put(list.getJsonObject(i).getString("id"), list.getJsonObject(i));
    }
    return out;
  }
}
