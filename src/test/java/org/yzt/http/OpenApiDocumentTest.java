package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.contract.ErrorCode;
import org.yzt.testing.OpenApiCheck;
import org.yzt.testing.ServiceExtension;

/**
 * {@code GET /api/v1/openapi.json} (SPEC §12): served as kept in the repository, an OpenAPI 3.1
 * document of every route and error code of SPEC §2, strict enough that a drifting answer fails.
 */
class OpenApiDocumentTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  @Test
  void theDocumentIsServedAsKeptInTheRepository() {
    HttpResponse<Buffer> r = app.api().get("/api/v1/openapi.json");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("application/json"));
    assertEquals(OpenApiCheck.document(), r.bodyAsJsonObject());
    assertEquals("3.1.0", r.bodyAsJsonObject().getString("openapi"));
  }

  @Test
  void everyRouteAndEveryErrorCodeOfSpecSection2IsDescribed() {
    JsonObject doc = OpenApiCheck.document();
    Set<String> paths = doc.getJsonObject("paths").fieldNames();
    for (String p : List.of("/api/v1/captcha", "/api/v1/sms-codes", "/api/v1/queries", "/api/v1/card-queries", "/api/v1/queries/{queryId}",
        "/api/v1/enterprises", "/api/v1/openapi.json", "/api/v1/page-config", "/", "/assets/{file}", "/health", "/ready",
        "/metrics", "/dev/sms")) {
      assertTrue(paths.contains(p), p + " is described");
    }
    Set<String> documented = new TreeSet<>();
    doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Error").getJsonObject("properties")
        .getJsonObject("error").getJsonObject("properties").getJsonObject("code").getJsonArray("enum")
        .forEach(c -> documented.add((String) c));
    // SPEC §2.6's table, spelled out here (not the implementation's enum, which could lose one with this test)
    for (String c : List.of("INVALID_JSON", "INVALID_PHONE", "UNSUPPORTED_NUMBER", "INVALID_ID_LAST6", "INVALID_FIELD",
        "CAPTCHA_INVALID", "SMS_CODE_INVALID", "SMS_CODE_EXPIRED", "NOT_FOUND", "METHOD_NOT_ALLOWED",
        "IDEMPOTENCY_KEY_REUSED", "PAYLOAD_TOO_LARGE", "UNSUPPORTED_MEDIA_TYPE", "SMS_CODE_TOO_FREQUENT",
        "SMS_CODE_DAILY_LIMIT", "QUERY_LIMIT", "RATE_LIMITED", "SMS_BUDGET_EXCEEDED", "SERVICE_UNAVAILABLE",
        "INTERNAL_ERROR")) {
      assertTrue(documented.contains(c), c + " (SPEC §2.6) is documented");
    }
    for (ErrorCode c : ErrorCode.values()) {
      assertTrue(documented.contains(c.name()), c + " is documented");
    }
    JsonObject submit = doc.getJsonObject("paths").getJsonObject("/api/v1/queries").getJsonObject("post");
    assertEquals("Idempotency-Key", submit.getJsonArray("parameters").getJsonObject(0).getString("name"));
    JsonObject limited = submit.getJsonObject("responses").getJsonObject("429");
    assertTrue(limited.getJsonObject("headers").containsKey("Retry-After"));
  }

  @Test
  void aDriftingAnswerIsCaught() {
    OpenApiCheck check = OpenApiCheck.get();
    MultiMap json = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json; charset=utf-8")
        .add("Cache-Control", "no-store");
    Buffer accepted = new JsonObject().put("expiresInSeconds", 300).put("resendAfterSeconds", 60).toBuffer();
    assertNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 202, json, accepted));
    // a field missing, a field added, an undocumented status, a code of another status
    assertNotNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 202, json,
        new JsonObject().put("expiresInSeconds", 300).toBuffer()));
    assertNotNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 202, json,
        accepted.toJsonObject().put("code", "482913").toBuffer()));
    assertNotNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 200, json, accepted));
    Buffer limit = error("QUERY_LIMIT");
    assertNotNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 400, json, limit));
    // a limit without Retry-After, then with it
    assertNotNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 429, json, limit));
    assertNull(check.problem(HttpMethod.POST, "/api/v1/sms-codes", 429, json.copy().add("Retry-After", "120"), limit));
    // no Cache-Control: no-store
    MultiMap cached = MultiMap.caseInsensitiveMultiMap().add("Content-Type", "application/json");
    assertNotNull(check.problem(HttpMethod.GET, "/api/v1/enterprises", 200, cached,
        new JsonObject().put("enterprises", new JsonArray()).toBuffer()));
    // SMS_CODE_INVALID carries remainingAttempts, the others do not
    Buffer wrongCode = new JsonObject().put("error", new JsonObject().put("code", "SMS_CODE_INVALID").put("message", "错")
        .put("remainingAttempts", 4)).put("remainingAttempts", 4).toBuffer();
    assertNull(check.problem(HttpMethod.POST, "/api/v1/queries", 400, json, wrongCode));
    assertNotNull(check.problem(HttpMethod.POST, "/api/v1/queries", 400, json, error("SMS_CODE_INVALID")));
    // a status that reveals a phone number is not a status
    assertNotNull(check.problem(HttpMethod.GET, "/api/v1/queries/abc", 200, json, new JsonObject().put("queryId", "abc")
        .put("status", "DONE").put("createdAt", "2026-11-30T08:00:00Z").put("updatedAt", "2026-11-30T08:00:00Z")
        .put("deadline", "2026-12-02T08:00:00Z").put("phone", "13800138000").toBuffer()));
    // an unknown route answers the error shape
    assertNull(check.problem(HttpMethod.GET, "/nothing", 404, json, error("NOT_FOUND")));
    assertNotNull(check.problem(HttpMethod.GET, "/nothing", 200, json, new JsonObject().toBuffer()));
  }

  private static Buffer error(String code) {
    return new JsonObject().put("error", new JsonObject().put("code", code).put("message", "消息")).toBuffer();
  }
}
