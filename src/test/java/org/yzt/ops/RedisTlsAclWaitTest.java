package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.store.RedisSetup;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestCa;
import org.yzt.testing.TestService;

/**
 * SPEC §11 against a Redis that speaks only TLS (certificate from a CA made here by openssl) and
 * only to the ACL user {@code yzt}, with no replica: the service trusts that CA by
 * {@code redis.tls.caFile}, logs in by {@code user:password@}, and with {@code redis.waitReplicas: 1}
 * every submission still gets its 202, after WAIT timed out, counted.
 */
class RedisTlsAclWaitTest {
  private static Path dir;
  private static RedisProcess redis;
  private static TestService service;
  private static JsonObject config;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("yzt-redis-tls");
    TestCa ca = TestCa.create(dir).issue("redis");
    redis = RedisProcess.onFreePort(tlsPort -> RedisProcess.start(dir, "redis", tlsPort, "Ready to accept connections", List.of(
        "--port", "0", "--tls-port", Integer.toString(tlsPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--tls-cert-file", ca.cert("redis").toString(),
        "--tls-key-file", ca.key("redis").toString(), "--tls-ca-cert-file", ca.caCert().toString(),
        "--tls-auth-clients", "no", "--user", "default", "off", // the README's recommended user: its own keys, nothing dangerous
        "--user", "yzt", "on", ">s3cret-acl", "~yzt:*", "+@all", "-@dangerous")));
    int port = redis.port();
    config = TestService.config("rediss://yzt:s3cret-acl@127.0.0.1:" + port + "/0", new JsonObject()
        .put("redis", new JsonObject().put("tls", new JsonObject().put("caFile", ca.caCert().toString()))
            .put("waitReplicas", 1).put("waitTimeoutMs", 200).put("commandTimeoutMs", 3000)));
    // the first TLS handshake of a cold JVM on a busy machine can outlast a command timeout at start
    assertEquals("PONG", ping(config));
    service = TestService.start(config);
  }

  @AfterAll
  static void stop() throws Exception {
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
    try (var files = Files.list(dir)) {
      files.forEach(f -> f.toFile().delete());
    }
    Files.deleteIfExists(dir);
  }

  @Test
  void queryCompletesOverTlsAsTheAclUserAndWaitTimeoutsAreCounted() throws Exception {
    Api api = new Api(service);
    assertEquals(200, api.get("/ready").statusCode(), api.get("/ready").bodyAsString());
    double before = waitTimeouts();
    String phone = Numbers.fresh();
    HttpResponse<Buffer> r = api.submit(phone, "12345X", api.codeFor(phone));
    assertEquals(202, r.statusCode(), r.bodyAsString());
    // counted before the answer went out: the 202 waited for WAIT (no replica exists to acknowledge)
    assertEquals(before + 1, waitTimeouts());
    String queryId = r.bodyAsJsonObject().getString("queryId");
    String[] status = {""};
    org.yzt.testing.Wait.waitUntil(20_000,
        () -> (status[0] = api.get("/api/v1/queries/" + queryId).bodyAsJsonObject().getString("status")).equals("DONE"));
    assertEquals("DONE", status[0]);
    assertTrue(redis.logText().isEmpty() || !redis.logText().contains(phone), "no number in the Redis log");
  }

  @Test
  void theCaFileAndThePasswordAreWhatLetsTheClientIn() throws Exception {
    assertEquals("PONG", ping(config));
    JsonObject noCa = config.copy();
    noCa.getJsonObject("redis").getJsonObject("tls").put("caFile", "");
    String untrusted = ping(noCa);
    assertTrue(untrusted.contains("PKIX") || untrusted.contains("certification"), untrusted);
    JsonObject wrongPassword = config.copy();
    JsonObject r = wrongPassword.getJsonObject("redis");
    r.put("connectionString", r.getString("connectionString").replace("s3cret-acl", "guess"));
    String refused = ping(wrongPassword);
    assertTrue(refused.contains("WRONGPASS"), refused);
  }

  /** PING through a client made exactly as the service makes its own; the error text when it fails. */
  private static String ping(JsonObject conf) {
    Vertx vertx = Vertx.vertx();
    try {
      Redis client = Redis.createClient(vertx, RedisSetup.options(conf));
      return client.send(Request.cmd(Command.PING)).await(5, TimeUnit.SECONDS).toString();
    } catch (Throwable e) { // a Redis error reply (WRONGPASS) is a Throwable, not an Exception
      StringBuilder text = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        text.append(t).append(' ');
      }
      return text.toString();
    } finally {
      vertx.close();
    }
  }

  private static double waitTimeouts() {
    String text = new Api(service).get("/metrics").bodyAsString();
    for (String line : text.split("\n")) {
      if (line.startsWith("yzt_redis_wait_timeouts_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no yzt_redis_wait_timeouts_total in /metrics");
  }
}
