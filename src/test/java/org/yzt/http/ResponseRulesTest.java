package org.yzt.http;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.privacy.Ids;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/** SPEC §2: every response, success or error, carries Cache-Control: no-store; no error body shows our insides. */
class ResponseRulesTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  @Test
  void everySuccessfulAnswerIsNoStore() {
    Api api = app.api();
    String phone = Numbers.fresh();
    Map<String, HttpResponse<Buffer>> answers = new LinkedHashMap<>();
    answers.put("POST /api/v1/captcha", api.send(HttpMethod.POST, "/api/v1/captcha", null, null, null));
    answers.put("POST /api/v1/sms-codes", api.requestCode(phone));
    HttpResponse<Buffer> accepted = api.submit(phone, "12345X", api.latestCode(phone));
    answers.put("POST /api/v1/queries", accepted);
    answers.put("GET /api/v1/queries/{id}", api.get("/api/v1/queries/" + accepted.bodyAsJsonObject().getString("queryId")));
    answers.put("GET /api/v1/enterprises", api.get("/api/v1/enterprises"));
    answers.put("GET /dev/sms", api.get("/dev/sms?phone=" + phone));
    answers.put("GET /", api.get("/"));
    answers.put("GET /accounts", api.get("/accounts"));
    answers.put("GET /cards", api.get("/cards"));
    answers.put("GET /favicon.ico", api.get("/favicon.ico"));
    answers.put("GET /health", api.get("/health"));
    answers.put("GET /ready", api.get("/ready"));
    Map<String, Integer> expected = Map.of("POST /api/v1/captcha", 201, "POST /api/v1/sms-codes", 202,
        "POST /api/v1/queries", 202);
    answers.forEach((route, r) -> {
      assertEquals(expected.getOrDefault(route, 200), r.statusCode(), route + " " + r.bodyAsString());
      assertEquals("no-store", r.getHeader("Cache-Control"), route);
    });
  }

  /**
   * A browser asks for gzip on every request: the API's small answers come back as they are (gzip would
   * only cost), the page, tens of kilobytes, compressed.
   */
  @Test
  void onlyBodiesOfAKilobyteOrMoreAreCompressed() {
    MultiMap gzip = MultiMap.caseInsensitiveMultiMap().add("Accept-Encoding", "gzip, deflate, br");
    Api api = app.api();
    HttpResponse<Buffer> page = api.send(HttpMethod.GET, "/", null, null, gzip);
    assertEquals(200, page.statusCode());
    assertEquals("gzip", page.getHeader("Content-Encoding"), "the page");
    String phone = Numbers.fresh();
    HttpResponse<Buffer> code = api.send(HttpMethod.POST, "/api/v1/sms-codes", "application/json",
        new JsonObject().put("phone", phone).put("captchaId", api.captchaId()).put("captchaCode", TestService.CAPTCHA).toBuffer(),
        gzip);
    HttpResponse<Buffer> refused = api.send(HttpMethod.POST, "/api/v1/queries", "application/json",
        Api.query(phone, "12345X", "000000").toBuffer(), gzip);
    HttpResponse<Buffer> missing = api.send(HttpMethod.GET, "/api/v1/queries/" + Ids.random128(), null, null, gzip);
    for (HttpResponse<Buffer> r : List.of(code, refused, missing)) {
      assertTrue(r.body().length() < HttpErrors.COMPRESS_FROM_BYTES, r.bodyAsString());
      assertNull(r.getHeader("Content-Encoding"), r.statusCode() + " " + r.bodyAsString());
      r.bodyAsJsonObject(); // readable as it came
    }
    assertEquals(202, code.statusCode(), code.bodyAsString());
  }

  @Test
  void anInternalFailureIsA500WithoutStackTraceOrClassName() {
    // a job record no version of the service writes: reading it fails inside the query service
    String queryId = Ids.random128();
    app.redis().cli("HSET", Layout.job(queryId), "st", "DONE", "ca", "x", "ua", "x", "dl", "x");
    HttpResponse<Buffer> r = app.api().get("/api/v1/queries/" + queryId);
    assertEquals(500, r.statusCode(), r.bodyAsString());
    assertEquals("INTERNAL_ERROR", Api.errorCode(r));
    assertEquals("no-store", r.getHeader("Cache-Control"));
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(Set.of("error"), body.fieldNames());
    assertEquals(Set.of("code", "message"), body.getJsonObject("error").fieldNames());
    String text = r.bodyAsString();
    for (String inside : new String[] {"Exception", "java.", "org.yzt", "io.vertx", "\\tat ", ".java:", "NumberFormat",
        "127.0.0.1", "localhost"}) {
      assertFalse(text.contains(inside), "the error body shows " + inside + ": " + text);
    }
  }
}
