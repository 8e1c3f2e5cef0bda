package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;

/** Every error code the routes can give for what a client sends, and the response contract around them. */
@ExtendWith(VertxExtension.class)
class ApiContractTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("captcha", new JsonObject().put("max", 5).put("windowSeconds", 60))
          .put("queries", new JsonObject().put("max", 5).put("windowSeconds", 60)))));

  private static Api api() {
    return app.api().as("198.51.100.1");
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertEquals(status, r.statusCode(), r.bodyAsString());
    assertEquals(code, Api.errorCode(r), r.bodyAsString());
    assertNotNull(r.bodyAsJsonObject().getJsonObject("error").getString("message"));
    assertEquals("no-store", r.getHeader("Cache-Control"));
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
  }

  private static HttpResponse<Buffer> postRaw(String path, String contentType, String body) {
    return api().send(HttpMethod.POST, path, contentType, body == null ? null : Buffer.buffer(body), null);
  }

  @Test
  void brokenJsonArraysAndScalarsAreInvalidJson() {
    for (String route : new String[] {"/api/v1/sms-codes", "/api/v1/queries"}) {
      for (String body : new String[] {"{", "not json", "[]", "[{\"phone\":\"13800138000\"}]", "null", "42", "\"x\"", ""}) {
        assertError(postRaw(route, "application/json", body), 400, "INVALID_JSON");
      }
    }
  }

  @Test
  void missingOrWronglyTypedFieldsAreInvalidField() {
    assertError(api().postJson("/api/v1/sms-codes", new JsonObject()), 400, "INVALID_FIELD");
    assertError(api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", 13800138000L)
        .put("captchaId", "x").put("captchaCode", "ABCD")), 400, "INVALID_FIELD");
    assertError(api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", "13800138000")
        .put("captchaId", new JsonArray()).put("captchaCode", "ABCD")), 400, "INVALID_FIELD");
    assertError(api().postJson("/api/v1/queries", new JsonObject().put("phone", "13800138000").put("idLast6", "12345X")),
        400, "INVALID_FIELD");
    assertError(api().postJson("/api/v1/queries", new JsonObject().put("phone", "13800138000").put("idLast6", 123456)
        .put("smsCode", "123456")), 400, "INVALID_FIELD");
    assertError(api().postJson("/api/v1/queries", Api.query("13800138000", "12345X", "12ab56")), 400, "INVALID_FIELD");
  }

  @Test
  void badNumbersAreInvalidPhoneOrUnsupported() {
    for (String phone : new String[] {"12345", "23800138000", "1380013800", "138001380001", "1380013800\u0000",
        "13800\n138000", "１３８００１３８０００", "x".repeat(3000), "+1 13800138000", "<script>"}) {
      assertError(api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone)
          .put("captchaId", "x").put("captchaCode", "ABCD")), 400, "INVALID_PHONE");
      assertError(api().submit(phone, "12345X", "123456"), 400, "INVALID_PHONE");
    }
    // 170 is a virtual-operator range that no configured carrier serves
    assertError(api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", "17000138000")
        .put("captchaId", "x").put("captchaCode", "ABCD")), 400, "UNSUPPORTED_NUMBER");
    assertError(api().submit("17000138000", "12345X", "123456"), 400, "UNSUPPORTED_NUMBER");
  }

  @Test
  void normalisedNumbersPassFormatChecks() {
    // +86, 86, spaces and hyphens are accepted: these reach the captcha check (which they fail)
    for (String phone : new String[] {"+86 138-0013-8000", "8613800138000", "138 0013 8000"}) {
      assertError(api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone)
          .put("captchaId", "nope").put("captchaCode", "ABCD")), 400, "CAPTCHA_INVALID");
    }
  }

  @Test
  void badIdDigitsAreInvalidIdLast6() {
    for (String id : new String[] {"1234", "1234567", "12345Y", "X12345", "abcdef", "12 345"}) {
      assertError(api().submit("13800138000", id, "123456"), 400, "INVALID_ID_LAST6");
    }
    // a lowercase x is fine: it fails later, on the code
    assertError(api().submit("13800138000", "12345x", "123456"), 400, "SMS_CODE_EXPIRED");
  }

  @Test
  void wrongContentTypeIsUnsupportedMediaType() {
    String body = new JsonObject().put("phone", "13800138000").put("captchaId", "x").put("captchaCode", "ABCD").encode();
    assertError(postRaw("/api/v1/sms-codes", "text/plain", body), 415, "UNSUPPORTED_MEDIA_TYPE");
    assertError(postRaw("/api/v1/sms-codes", "application/x-www-form-urlencoded", "phone=13800138000"), 415,
        "UNSUPPORTED_MEDIA_TYPE");
    assertError(postRaw("/api/v1/queries", null, body), 415, "UNSUPPORTED_MEDIA_TYPE");
    // charset parameters are fine
    assertError(postRaw("/api/v1/sms-codes", "application/json; charset=utf-8", body), 400, "CAPTCHA_INVALID");
  }

  @Test
  void oversizedBodyIsPayloadTooLarge() {
    String big = new JsonObject().put("phone", "13800138000").put("pad", "x".repeat(5000)).encode();
    assertError(postRaw("/api/v1/sms-codes", "application/json", big), 413, "PAYLOAD_TOO_LARGE");
    assertError(postRaw("/api/v1/queries", "application/json", big), 413, "PAYLOAD_TOO_LARGE");
  }

  @Test
  void unknownRoutesAndWrongMethods() {
    assertError(api().get("/api/v1/nothing-here"), 404, "NOT_FOUND");
    assertError(postRaw("/api/v1/nothing-here", "application/json", "{}"), 404, "NOT_FOUND");
    assertError(api().get("/no/such/page"), 404, "NOT_FOUND");
    assertError(api().get("/api/v1/captcha"), 405, "METHOD_NOT_ALLOWED");
    assertError(api().send(HttpMethod.DELETE, "/api/v1/queries", null, null, null), 405, "METHOD_NOT_ALLOWED");
    assertError(api().send(HttpMethod.PUT, "/api/v1/sms-codes", "application/json", Buffer.buffer("{}"), null), 405,
        "METHOD_NOT_ALLOWED");
    assertError(postRaw("/api/v1/enterprises", "application/json", "{}"), 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void unknownOrMalformedQueryIdIsNotFound() {
    assertError(api().get("/api/v1/queries/AAAAAAAAAAAAAAAAAAAAAA"), 404, "NOT_FOUND");
    assertError(api().get("/api/v1/queries/..%2F..%2Fetc"), 404, "NOT_FOUND");
    assertError(api().get("/api/v1/queries/" + "x".repeat(300)), 404, "NOT_FOUND");
  }

  @Test
  void malformedIdempotencyKeyIsInvalidField() {
    JsonObject body = Api.query("13800138000", "12345X", "123456");
    for (String key : new String[] {"x".repeat(65), "has space", "tab\tkey", "quote\"d key"}) {
      assertError(api().postJson("/api/v1/queries", body, MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key)),
          400, "INVALID_FIELD");
    }
  }

  @Test
  void perIpLimitAnswers429WithRetryAfterAndSparesOthers() {
    Api client = new Api(app.service()).as("203.0.113.77");
    for (int i = 0; i < 5; i++) {
      assertEquals(201, client.send(HttpMethod.POST, "/api/v1/captcha", null, null, null).statusCode());
    }
    HttpResponse<Buffer> refused = client.send(HttpMethod.POST, "/api/v1/captcha", null, null, null);
    assertError(refused, 429, "RATE_LIMITED");
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    // another address behind the same trusted proxy is its own client
    assertEquals(201, new Api(app.service()).as("203.0.113.78").send(HttpMethod.POST, "/api/v1/captcha", null, null, null)
        .statusCode());
  }

  @Test
  void perIpQueryLimitIsCountedWithTheSubmission() {
    Api client = new Api(app.service()).as("203.0.113.90");
    for (int i = 0; i < 5; i++) {
      assertError(client.submit("13800138000", "12345X", "123456"), 400, "SMS_CODE_EXPIRED");
    }
    HttpResponse<Buffer> refused = client.submit("13800138000", "12345X", "123456");
    assertError(refused, 429, "RATE_LIMITED");
    assertTrue(Long.parseLong(refused.getHeader("Retry-After")) >= 1);
    assertError(new Api(app.service()).as("203.0.113.91").submit("13800138000", "12345X", "123456"), 400, "SMS_CODE_EXPIRED");
  }

  @Test
  void enterprisesAreListedInOrderWithoutEndpointsOrSecrets() {
    HttpResponse<Buffer> r = api().get("/api/v1/enterprises");
    assertEquals(200, r.statusCode());
    JsonArray list = r.bodyAsJsonObject().getJsonArray("enterprises");
    assertEquals(8, list.size());
    // in configured order, every one of them
    var configured = app.service().context().config.getJsonArray("enterprises");
    for (int i = 0; i < configured.size(); i++) {
      assertEquals(configured.getJsonObject(i).getString("id"), list.getJsonObject(i).getString("id"), "index " + i);
    }
    assertEquals(java.util.List.of("tencent", "alibaba", "alipay", "baidu", "kuaishou", "douyin", "jd", "meituan"),
        list.stream().map(o -> ((JsonObject) o).getString("id")).toList());
    for (int i = 0; i < list.size(); i++) {
      JsonObject e = list.getJsonObject(i);
      assertEquals(java.util.Set.of("id", "name", "apps", "hotline", "guideUrl"), e.fieldNames());
    }
    String text = r.bodyAsString();
    assertFalse(text.contains("secret") || text.contains("127.0.0.1") || text.contains("keyId"));
  }

  @Test
  void healthReadyMetricsAndPageHeaders() {
    assertEquals(200, api().get("/health").statusCode());
    HttpResponse<Buffer> ready = api().get("/ready");
    assertEquals(200, ready.statusCode(), ready.bodyAsString());
    HttpResponse<Buffer> metrics = api().get("/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("# TYPE"));
    HttpResponse<Buffer> page = api().get("/");
    assertEquals(200, page.statusCode());
    assertTrue(page.getHeader("Content-Type").startsWith("text/html"));
    assertTrue(page.getHeader("Content-Security-Policy").contains("frame-ancestors 'none'"));
    assertFalse(page.getHeader("Content-Security-Policy").contains("unsafe-inline"));
    assertEquals("nosniff", page.getHeader("X-Content-Type-Options"));
    assertEquals("no-referrer", page.getHeader("Referrer-Policy"));
  }

  @Test
  void devInboxValidatesTheNumber() {
    assertError(api().get("/dev/sms?phone=abc"), 400, "INVALID_PHONE");
    assertEquals(200, api().get("/dev/sms?phone=13800138000").statusCode());
  }
}
