package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.cli.ReadyProbe;
import org.yzt.testing.Api;
import org.yzt.testing.OpenApiCheck;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * {@code http.opsPort} (SPEC §11): when set, {@code /ready} and {@code /metrics} answer only there
 * and the public port answers them 404 NOT_FOUND, {@code /health} answers on both; a node without
 * the gateway role serves them on the ops port and has no public port. The container's health
 * check ({@link ReadyProbe}) passes on the ops port and fails on the public one.
 */
class OpsPortTest {
  static RedisServer redis;
  static TestService front;
  static TestService back;
  static int frontOps;
  static int backPublic;
  static int backOps;

  @BeforeAll
  static void start() {
    redis = RedisServer.startNew();
    frontOps = RedisServer.freePort();
    front = TestService.start(TestService.config(redis, new JsonObject()
        .put("http", new JsonObject().put("opsPort", frontOps))));
    backOps = RedisServer.freePort();
    JsonObject backConfig = TestService.config(redis, new JsonObject()
        .put("http", new JsonObject().put("opsPort", backOps))
        .put("node", new JsonObject().put("roles", new JsonArray().add("query")))
        .put("simulators", new JsonObject().put("enabled", false)));
    backPublic = backConfig.getJsonObject("http").getInteger("port");
    back = TestService.start(backConfig);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {back, front, redis}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // best effort
      }
    }
  }

  private static HttpResponse<Buffer> get(int port, String path) {
    WebClient client = WebClient.create(front.vertx(), new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port));
    try {
      HttpResponse<Buffer> r = client.get(path).timeout(10_000).send().await(15, TimeUnit.SECONDS);
      // every answer is checked against the API description, the ops port's too
      OpenApiCheck.get().check(io.vertx.core.http.HttpMethod.GET, path, r);
      return r;
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " on " + port + ": " + e, e);
    } finally {
      client.close();
    }
  }

  @Test
  void theGatewayServesReadyAndMetricsOnlyOnTheOpsPortAndHealthOnBoth() {
    int pub = front.httpPort();
    assertEquals(200, get(pub, "/health").statusCode());
    assertEquals(200, get(frontOps, "/health").statusCode());
    for (String path : new String[] {"/ready", "/metrics"}) {
      HttpResponse<Buffer> r = get(pub, path);
      assertEquals(404, r.statusCode(), path + " on the public port");
      assertEquals("NOT_FOUND", Api.errorCode(r), path);
    }
    assertEquals(200, get(frontOps, "/ready").statusCode());
    HttpResponse<Buffer> metrics = get(frontOps, "/metrics");
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("yzt_"), "our metrics on the ops port");
    // the API stays on the public port only
    assertEquals(200, get(pub, "/api/v1/enterprises").statusCode());
    assertEquals(404, get(frontOps, "/api/v1/enterprises").statusCode());
  }

  @Test
  void aNodeWithoutTheGatewayServesOnlyItsOpsPort() {
    assertEquals(200, get(backOps, "/health").statusCode());
    assertEquals(200, get(backOps, "/ready").statusCode());
    assertEquals(200, get(backOps, "/metrics").statusCode());
    assertEquals(1, probe(backPublic), "nothing listens on the public port of a node without the gateway");
  }

  @Test
  void theHealthCheckProbePassesOnTheOpsPortOnly() {
    assertEquals(0, probe(frontOps));
    assertEquals(0, probe(backOps));
    assertEquals(1, probe(front.httpPort()), "the public port answers /ready 404");
    assertEquals(2, probe(-1), "a usage error");
  }

  private static int probe(int port) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status = ReadyProbe.run(new String[] {Integer.toString(port)}, new PrintStream(out, true, StandardCharsets.UTF_8));
    String line = out.toString(StandardCharsets.UTF_8);
    assertEquals(1, line.lines().count(), "one line: " + line);
    return status;
  }
}
