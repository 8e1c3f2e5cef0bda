package org.yzt.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.sim.SimFaults.Fault;
import org.yzt.sim.SimFaults;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.OtlpReceiver.ReceivedSpan;
import org.yzt.testing.OtlpReceiver;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §9, §11: no span carries personal data. Every kind of query (accounts everywhere, by the rule,
 * ID digits that do not match, a cancelled number, enterprises that fail for a while, for good or with
 * a body outside the protocol, a carrier that fails once; the phone-card query with a name and a full
 * ID number, carriers refusing it for good or for a while) and every kind of refusal (wrong captcha,
 * wrong or missing code, bad number, bad ID digits, the number's window, the dev inbox with a number
 * in its query string) is exported at ratio 1.0, and every text of every span (name, attributes,
 * events, status, links, resource) is swept for the numbers, ID digits, codes, captcha answers and
 * the client address used.
 */
class TracePrivacyTest {
  static final OtlpReceiver RECEIVER = OtlpReceiver.start();
  static final String CLIENT_IP = "198.51.100.23";

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("pipeline", new JsonObject().put("retryInitialMs", 100).put("retryMaxMs", 400))
      .put("tracing", new JsonObject().put("otlpEndpoint", RECEIVER.endpoint()).put("sampleRatio", 1.0)));

  /** Every text that must not appear in any span. */
  final Set<String> secrets = new LinkedHashSet<>(List.of(CLIENT_IP, TestService.CAPTCHA, "WXYZ"));
  final List<String> queryIds = new ArrayList<>();

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  @Test
  void noSpanCarriesPersonalData() throws Exception {
    Api api = app.api().as(CLIENT_IP);
    SimFaults faults = app.service().context().shared(SimFaults.class, SimFaults::new);
    String flaky = Numbers.fresh();
    faults.script("carrier:cmcc", flaky, Fault.status(503));
    faults.script("enterprise:jd", flaky, Fault.status(503), Fault.status(400));
    faults.script("enterprise:baidu", flaky, Fault.malformed());
    faults.script("enterprise:douyin", flaky, Fault.status(503), Fault.status(503));

    query(api, "13800138000", "12345X");   // accounts at every enterprise
    query(api, Numbers.fresh(), "65432x"); // counts by the rule (a lower-case x)
    query(api, "13900139000", "111111");   // the ID digits never match: the failure text
    query(api, "13700137000", "222222");   // cancelled: FAILED, no text
    query(api, flaky, "333333");           // carrier once 503; enterprises failing for a while, for good, malformed
    cardQuery(api, Numbers.fresh(), "王小明", Numbers.freshIdNumber());   // the phone-card query (SPEC §13)
    String refusedId = Numbers.freshIdNumber();
    faults.always("carrier-cards:ctcc", refusedId, Fault.status(403));          // a carrier refuses for good
    faults.script("carrier-cards:cucc", refusedId, Fault.status(503), Fault.status(503)); // and one fails for a while
    cardQuery(api, Numbers.fresh(), "Li Lei", refusedId);

    String refused = Numbers.fresh();
    secrets.add(refused);
    String code = api.codeFor(refused);
    secrets.add(code);
    String wrong = code.equals("000000") ? "111111" : "000000";
    secrets.add(wrong);
    assertEquals("SMS_CODE_INVALID", Api.errorCode(api.submit(refused, "444444", wrong)));
    secrets.add("444444");
    assertEquals("INVALID_ID_LAST6", Api.errorCode(api.submit(refused, "4444", code)));
    String invalid = "1380013800";
    secrets.add(invalid);
    assertEquals("INVALID_PHONE", Api.errorCode(api.submit(invalid, "555555", code)));
    secrets.add("555555");
    String accepted = submitOk(api, refused, "666666", code);
    assertEquals("QUERY_LIMIT", Api.errorCode(api.requestCode(refused)), "the number's window");
    secrets.add("666666");
    String noCode = Numbers.fresh();
    secrets.add(noCode);
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(api.submit(noCode, "777777", "123456")));
    secrets.add("777777");
    HttpResponse<Buffer> wrongCaptcha = api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", noCode).put("captchaId", api.captchaId()).put("captchaCode", "WXYZ"));
    assertEquals(400, wrongCaptcha.statusCode(), wrongCaptcha.bodyAsString());
    HttpResponse<Buffer> idempotent = api.postJson("/api/v1/queries", Api.query(noCode, "888888", "654321"),
        MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "privacy-test-key-1"));
    assertEquals(400, idempotent.statusCode() / 100 * 100, idempotent.bodyAsString());
    secrets.add("888888");
    assertEquals(200, api.get("/dev/sms?phone=" + refused).statusCode());
    queryIds.add(accepted);

    for (String q : queryIds) {
      org.yzt.testing.Wait.await(30_000, "query " + q + " ended", () -> Set.of("DONE", "FAILED").contains(api.queryStatus(q)));
      assertNotNull(RECEIVER.await(s -> q.equals(s.attr("yzt.query_id")) && s.attr("yzt.outcome") != null
          && Set.of("DONE", "FAILED").contains(s.attr("yzt.outcome")), 15_000), "the last step of " + q + " was exported");
    }
    // a last request: once its span has arrived, every span that ended before it has too (one queue, in order)
    assertEquals(200, api.get("/api/v1/enterprises").statusCode());
    assertNotNull(RECEIVER.await(s -> "/api/v1/enterprises".equals(s.attr("url.path")), 15_000));

    List<ReceivedSpan> spans = RECEIVER.spans();
    assertTrue(spans.size() > 100, "spans of every kind were exported: " + spans.size());
    assertTrue(spans.stream().anyMatch(s -> "/dev/sms".equals(s.attr("url.path"))), "the inbox request was traced");
    assertTrue(spans.stream().anyMatch(s -> "FAILED".equals(s.attr("yzt.outcome"))), "failed queries were traced");
    assertTrue(spans.stream().anyMatch(s -> "400".equals(s.attr("http.response.status_code"))), "refusals were traced");
    for (ReceivedSpan s : spans) {
      for (String text : s.texts()) {
        for (String secret : secrets) {
          assertTrue(text == null || !text.toUpperCase().contains(secret.toUpperCase()),
              "span " + s + " carries personal data (" + secret + ") in: " + text);
        }
        assertTrue(text == null || !text.contains("phone="), "a query string in " + s);
      }
    }
  }

  private void query(Api api, String phone, String idLast6) {
    String code = api.codeFor(phone);
    queryIds.add(submitOk(api, phone, idLast6, code));
    secrets.add(code);
    secrets.add(phone);
    secrets.add(phone.substring(0, 3) + "****" + phone.substring(7)); // the masked form of the logs
    secrets.add(idLast6);
  }

  private void cardQuery(Api api, String phone, String name, String idNumber) {
    String code = api.codeFor(phone, "cards");
    HttpResponse<Buffer> r = api.submitCards(phone, name, idNumber, code);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    queryIds.add(r.bodyAsJsonObject().getString("queryId"));
    secrets.addAll(List.of(code, phone, name, idNumber, idNumber.substring(idNumber.length() - 6),
        phone.substring(0, 3) + "****" + phone.substring(7)));
  }

  private static String submitOk(Api api, String phone, String idLast6, String code) {
    HttpResponse<Buffer> r = api.submit(phone, idLast6, code);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return r.bodyAsJsonObject().getString("queryId");
  }
}
