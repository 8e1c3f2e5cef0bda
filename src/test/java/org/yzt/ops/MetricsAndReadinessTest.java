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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.contract.Addresses;
import org.yzt.sim.SimFaults;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * {@code /metrics} after a real query shows the business metrics of issue 5 under their real names,
 * and no label carries a number; {@code /ready} reports Redis, the verticles, the event bus and each
 * enterprise's circuit, and stays UP while a circuit is open. One service for the class; each test
 * uses numbers of its own, reads counters as differences, and leaves no state behind (the gauges' probe
 * entries are removed, an opened circuit is closed again), so that any order gives the same results.
 */
class MetricsAndReadinessTest {
  /** meituan's circuit, opened by a test: short enough to wait for, long enough to be seen open. */
  static final int CIRCUIT_RESET_MS = 3_000;
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(redis -> {
    JsonObject config = TestService.config(redis, new JsonObject()
        .put("pipeline", new JsonObject().put("metricsPollMs", 200)));
    // meituan's circuit opens after two transient failures and tries again after CIRCUIT_RESET_MS
    JsonObject meituan = config.getJsonArray("enterprises").getJsonObject(7);
    assertEquals("meituan", meituan.getString("id"));
    meituan.put("circuitMaxFailures", 2).put("circuitResetMs", CIRCUIT_RESET_MS);
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

  /** The sample's value, 0 when there is none yet (a counter is registered at its first use). */
  private static double sampleOr0(String text, String prefix) {
    return text.lines().anyMatch(l -> l.startsWith(prefix)) ? sample(text, prefix) : 0;
  }

  /** How much the sample grew since {@code before}; it must exist now. */
  private static double delta(String before, String now, String prefix) {
    return sample(now, prefix) - sampleOr0(before, prefix);
  }

  /** An internet-account query of a fresh number, finished DONE; its query id. */
  private static String finishedAccountsQuery(String phone, String idLast6) {
    String code = app.api().codeFor(phone);
    HttpResponse<Buffer> accepted = app.api().submit(phone, idLast6, code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    org.yzt.testing.Wait.await(20_000, "the query finished", () -> "DONE".equals(app.api().queryStatus(queryId)));
    return queryId;
  }

  @Test
  void metricsShowTheQueryAndNoNumber() throws Exception {
    String phone = org.yzt.testing.Numbers.fresh("138");
    String before = metrics();
    String queryId = finishedAccountsQuery(phone, "12345X");
    // the stream gauges are polled: wait for a poll after the job finished (its entry acknowledged)
    org.yzt.testing.Wait.await(10_000, "a gauge poll after the job finished",
        () -> sample(metrics(), "yzt_pipeline_stream_pending ") == 0.0 && sample(metrics(), "yzt_pipeline_stream_length ") == 0.0);

    String m = metrics();
    assertEquals(1.0, delta(before, m, "yzt_api_requests_total{kind=\"accounts\",outcome=\"ok\",route=\"queries\"}"));
    assertEquals(1.0, delta(before, m, "yzt_api_requests_total{kind=\"accounts\",outcome=\"ok\",route=\"sms-codes\"}"));
    assertTrue(delta(before, m, "yzt_api_latency_seconds_count{route=\"queries\"}") >= 1);
    assertTrue(delta(before, m, "yzt_captcha_issued_total") >= 1);
    assertTrue(delta(before, m, "yzt_captcha_verified_total{result=\"ok\"}") >= 1);
    assertTrue(delta(before, m, "yzt_sms_messages_total{outcome=\"queued\"}") >= 2, "code and result texts");
    for (String stage : new String[] {"verifying", "querying", "notifying"}) {
      assertEquals(1.0, delta(before, m, "yzt_pipeline_stage_duration_seconds_count{kind=\"accounts\",stage=\"" + stage + "\"}"),
          stage);
      // a stage's time is how long this pass spent on it: seconds at most, not a clock reading
      double spent = delta(before, m, "yzt_pipeline_stage_duration_seconds_sum{kind=\"accounts\",stage=\"" + stage + "\"}");
      assertTrue(spent >= 0 && spent < 30, stage + " took " + spent + " s");
    }
    assertTrue(m.contains("yzt_pipeline_stage_duration_seconds_bucket{kind=\"accounts\",stage=\"querying\",le="), "stage histogram");
    assertEquals(1.0, delta(before, m, "yzt_pipeline_job_duration_seconds_count{kind=\"accounts\",status=\"DONE\"}"));
    double took = delta(before, m, "yzt_pipeline_job_duration_seconds_sum{kind=\"accounts\",status=\"DONE\"}");
    assertTrue(took > 0 && took < 30, "acceptance to DONE took " + took + " s");
    assertEquals(1.0, delta(before, m, "yzt_pipeline_jobs_finished_total{kind=\"accounts\",status=\"DONE\"}"));
    assertEquals(1.0, delta(before, m, "yzt_enterprise_requests_total{enterprise=\"tencent\",outcome=\"ok\"}"));
    assertEquals(1.0, delta(before, m, "yzt_enterprise_latency_seconds_count{enterprise=\"jd\"}"));
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
    assertFalse(m.contains(phone), "a number in /metrics");
    assertFalse(m.contains("138****"), "a masked number in /metrics"); // (the number is a 138 one)
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
      // and the gauges back at what Redis holds now, for whichever test reads them next
      assertTrue(org.yzt.testing.Wait.waitUntil(5_000, () -> {
        String m = metrics();
        return sample(m, "yzt_pipeline_jobs_delayed ") == 0.0 && sample(m, "yzt_pipeline_dead_letter_length ") == 0.0;
      }), "the gauges read 0 again once the probes are gone: " + metrics());
    }
  }

  @Test
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
    String failing = org.yzt.testing.Numbers.fresh("150");
    faults.always("enterprise:meituan", failing, SimFaults.Fault.status(500));
    try {
      for (int i = 0; i < 2; i++) {
        try {
          askMeituan(failing, "ready-test-" + i);
        } catch (Exception expected) {
          // 503: transient
        }
      }
      assertOpenCircuitToleratedAndReported();
    } finally {
      // closed again, for the queries of whichever test runs next: the fault gone, the reset timeout
      // passed (HALF_OPEN), one good answer closes it
      faults.always("enterprise:meituan", failing, null);
      // (read where /ready reads it: polling /metrics every 20 ms cost a second of CPU)
      org.yzt.contract.EnterpriseCircuits.Source breakers =
          app.service().context().sharedIfPresent(org.yzt.contract.EnterpriseCircuits.Source.class);
      org.yzt.testing.Wait.await(CIRCUIT_RESET_MS + 10_000, "meituan's circuit half-open after its reset timeout",
          () -> !"OPEN".equals(breakers.circuits().getString("meituan")));
      askMeituan(org.yzt.testing.Numbers.fresh("150"), "ready-test-close");
      assertEquals(0.0, sample(metrics(), "yzt_enterprise_circuit_state{enterprise=\"meituan\"}"), "meituan's circuit closed");
    }
  }

  private static void askMeituan(String phone, String requestId) throws Exception {
    app.service().vertx().eventBus().request(Addresses.enterpriseCount("meituan"),
        new JsonObject().put("phone", phone).put("requestId", requestId),
        new DeliveryOptions().setSendTimeout(10_000)).await(15, TimeUnit.SECONDS);
  }

  private static void assertOpenCircuitToleratedAndReported() {
    HttpResponse<Buffer> r = app.api().get("/ready");
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
  void aPhoneCardQueryIsCountedUnderItsOwnKind() throws Exception {
    String phone = org.yzt.testing.Numbers.fresh("135");
    String idNumber = org.yzt.testing.Numbers.freshIdNumber();
    String before = metrics();
    String code = app.api().codeFor(phone, "cards");
    HttpResponse<Buffer> accepted = app.api().submitCards(phone, "张三", idNumber, code);
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    org.yzt.testing.Wait.await(20_000, "the query finished", () -> "DONE".equals(app.api().queryStatus(queryId)));
    String m = metrics();
    assertEquals(1.0, delta(before, m, "yzt_api_requests_total{kind=\"cards\",outcome=\"ok\",route=\"sms-codes\"}"));
    assertEquals(1.0, delta(before, m, "yzt_api_requests_total{kind=\"cards\",outcome=\"ok\",route=\"card-queries\"}"));
    assertEquals(0.0, delta(before, m, "yzt_api_requests_total{kind=\"accounts\",outcome=\"ok\",route=\"queries\"}"),
        "not counted as an internet-account query");
    assertEquals(1.0, delta(before, m, "yzt_pipeline_jobs_finished_total{kind=\"cards\",status=\"DONE\"}"));
    assertEquals(1.0, delta(before, m, "yzt_pipeline_stage_duration_seconds_count{kind=\"cards\",stage=\"querying\"}"));
    assertFalse(m.contains("张三") || m.contains(idNumber.substring(0, 17)) || m.contains(phone), "no personal data in /metrics");
  }

  @Test
  void theGrafanaDashboardUsesRealMetricNames() throws Exception {
    // a query and a failure of its own first: some series exist only once counted (per enterprise, per
    // outcome; the event bus's reply failures)
    finishedAccountsQuery(org.yzt.testing.Numbers.fresh(), "12345X");
    try {
      app.service().vertx().eventBus().request(Addresses.SMS_SEND, new JsonObject()).await(10, TimeUnit.SECONDS);
      throw new AssertionError("an empty text was taken");
    } catch (io.vertx.core.eventbus.ReplyException expected) {
      assertEquals(400, expected.failureCode(), "refused: INVALID_FIELD");
    }
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
