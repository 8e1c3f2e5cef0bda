package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * The service in its own process with {@code log.format} "json", stdout captured: every line is a
 * JSON object; the request id of {@code POST /api/v1/queries} (its {@code X-Request-Id}) is on the
 * submission's line and on every line the pipeline writes about that job; a wrong captcha is a WARN
 * line with {@code event=security.captcha_invalid}; no number appears unmasked.
 */
class JsonLogTest {
  static final String PHONE = "13800138000";
  static final Pattern ANY_NUMBER = Pattern.compile("(?<!\\d)1[3-9]\\d{9}(?!\\d)");

  @Test
  void jsonLinesCarryTheRequestIdThroughTheJob() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject config = TestService.config(redis, new JsonObject().put("log", new JsonObject().put("format", "json")));
      Vertx vertx = Vertx.vertx();
      try (NodeProcess node = NodeProcess.service("json-node", config, false)) {
        Api api = new Api(WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
            .setDefaultPort(config.getJsonObject("http").getInteger("port"))));

        HttpResponse<Buffer> wrong = api.postJson("/api/v1/sms-codes", new JsonObject()
            .put("phone", PHONE).put("captchaId", api.captchaId()).put("captchaCode", "NOPE"));
        assertEquals(400, wrong.statusCode());
        String wrongRid = wrong.getHeader("X-Request-Id");

        HttpResponse<Buffer> accepted = api.submit(PHONE, "12345X", api.codeFor(PHONE));
        assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
        String rid = accepted.getHeader("X-Request-Id");
        assertNotNull(rid);
        String queryId = accepted.bodyAsJsonObject().getString("queryId");
        assertTrue(node.awaitLine(l -> l.contains("job finished") && l.contains(queryId), 20_000), "the job finished");

        List<JsonObject> lines = new ArrayList<>();
        for (String line : node.lines()) {
          if (line.isBlank()) {
            continue;
          }
          JsonObject json;
          try {
            json = new JsonObject(line);
          } catch (RuntimeException e) {
            throw new AssertionError("not a JSON line: " + line, e);
          }
          assertNotNull(json.getString("level"), line);
          assertNotNull(json.getString("formattedMessage"), line);
          assertFalse(ANY_NUMBER.matcher(json.getString("formattedMessage")).find(), "a number in clear: " + line);
          assertFalse(line.contains(PHONE) || line.contains("12345X"), "personal data in the log: " + line);
          lines.add(json);
        }

        List<JsonObject> ofRequest = lines.stream().filter(j -> rid.equals(kv(j, "requestId"))).toList();
        Set<String> loggers = ofRequest.stream().map(j -> j.getString("loggerName")).collect(Collectors.toSet());
        assertTrue(loggers.contains("org.yzt.frontdoor.QueryService"), "the submission's line: " + ofRequest);
        List<JsonObject> jobLines = ofRequest.stream()
            .filter(j -> "org.yzt.pipeline.JobDispatcher".equals(j.getString("loggerName"))).toList();
        assertTrue(jobLines.size() >= 3, "picked up, verdict, finished: " + jobLines);
        for (JsonObject j : jobLines) {
          assertEquals(queryId, kv(j, "queryId"), j.encode());
        }
        assertTrue(jobLines.stream().anyMatch(j -> j.getString("formattedMessage").contains("job finished: DONE")), jobLines.toString());
        // every pipeline line naming this query has the request id
        for (JsonObject j : lines) {
          if (queryId.equals(kv(j, "queryId"))) {
            assertEquals(rid, kv(j, "requestId"), j.encode());
          }
        }
        // the masked number is what the lines show
        assertTrue(ofRequest.stream().anyMatch(j -> j.getString("formattedMessage").contains("138****8000")), ofRequest.toString());

        JsonObject security = lines.stream().filter(j -> wrongRid.equals(kv(j, "requestId"))).findFirst()
            .orElseThrow(() -> new AssertionError("no line for the wrong captcha"));
        assertEquals("WARN", security.getString("level"));
        assertEquals("security.captcha_invalid", kv(security, "event"));
      } finally {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  /** A key-value of logback's JsonEncoder: {@code "kvpList": [{"requestId": "…"}, …]}. */
  static String kv(JsonObject line, String key) {
    JsonArray list = line.getJsonArray("kvpList");
    if (list == null) {
      return null;
    }
    for (Object o : list) {
      if (o instanceof JsonObject pair && pair.containsKey(key)) {
        return String.valueOf(pair.getValue(key));
      }
    }
    return null;
  }
}
