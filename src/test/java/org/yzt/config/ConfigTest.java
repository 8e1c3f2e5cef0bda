package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SPEC §5: defaults, a -conf file deep-merged over them, YZT_* overrides, and the prod guard. */
class ConfigTest {
  static Vertx vertx;

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    vertx.close();
  }

  private static JsonObject load(String file, Map<String, String> env) throws Exception {
    return ConfigLoader.load(vertx, file, env).await(10, TimeUnit.SECONDS);
  }

  @Test
  void defaultsAreTheDevProfile() throws Exception {
    JsonObject c = load(null, Map.of());
    assertEquals("dev", c.getString("profile"));
    assertEquals(8080, c.getJsonObject("http").getInteger("port"));
    assertEquals(4096, c.getJsonObject("http").getInteger("maxBodyBytes"));
    assertEquals(120, c.getJsonObject("captcha").getInteger("ttlSeconds"));
    assertEquals(86400, c.getJsonObject("limits").getInteger("queryWindowSeconds"));
    assertEquals(172800, c.getJsonObject("pipeline").getInteger("deadlineSeconds"));
    assertEquals("10699000", c.getJsonObject("sms").getString("sender"));
    assertTrue(c.getJsonObject("simulators").getBoolean("enabled"));
  }

  @Test
  void confFileDeepMergesAndEnvironmentOverridesOneValue() throws Exception {
    Path f = Files.createTempFile("yzt", ".json");
    Files.writeString(f, new JsonObject()
        .put("http", new JsonObject().put("maxBodyBytes", 8192))
        .put("node", new JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("gateway")))
        .encode(), StandardCharsets.UTF_8);
    JsonObject c = load(f.toString(), Map.of(
        "YZT_HTTP_PORT", "9090",
        "YZT_REDIS_CONNECTIONSTRING", "redis://10.0.0.5:6380/1",
        "YZT_SMSCODE_MAXPERDAY", "7",
        "YZT_ENTERPRISES_0_SECRET", "from-env",
        "YZT_HTTP_TRUSTEDPROXIES", "[\"10.0.0.0/8\"]",
        "PATH", "/usr/bin"));
    assertEquals(9090, c.getJsonObject("http").getInteger("port"));
    assertEquals(8192, c.getJsonObject("http").getInteger("maxBodyBytes"));
    assertEquals("0.0.0.0", c.getJsonObject("http").getString("host"), "objects merge key by key");
    assertEquals(List.of("gateway"), c.getJsonObject("node").getJsonArray("roles").getList(), "arrays replace");
    assertEquals("redis://10.0.0.5:6380/1", c.getJsonObject("redis").getString("connectionString"));
    assertEquals(7, c.getJsonObject("smsCode").getInteger("maxPerDay"));
    assertEquals("from-env", c.getJsonArray("enterprises").getJsonObject(0).getString("secret"));
    assertEquals("10.0.0.0/8", c.getJsonObject("http").getJsonArray("trustedProxies").getString(0));
    assertTrue(c.fieldNames().stream().noneMatch(k -> k.startsWith("YZT_") || k.equals("PATH")));
  }

  @Test
  void prodRefusesDevDefaultsFixedCaptchaAndSimulators() throws Exception {
    JsonObject defaults = load(null, Map.of());
    JsonObject prod = defaults.copy().put("profile", "prod");
    prod.getJsonObject("captcha").put("mode", "fixed");
    List<String> problems = ProdGuard.problems(prod, defaults);
    String all = String.join("\n", problems);
    assertTrue(all.contains("captcha.mode"), all);
    assertTrue(all.contains("simulators.enabled"), all);
    assertTrue(all.contains("security.dataKey"), all);
    assertTrue(all.contains("sms.secret"), all);
    assertTrue(all.contains("carriers[cmcc].secret"), all);
    assertTrue(all.contains("enterprises[tencent].secret"), all);
    assertTrue(all.contains("redis.embedded"), all);
    prod.getJsonObject("redis").put("embedded", false);
    assertTrue(ProdGuard.problems(prod, defaults).stream().noneMatch(p -> p.contains("redis.embedded")),
        "prod with its own Redis passes that check");
    assertTrue(ProdGuard.problems(defaults, defaults).isEmpty(), "dev may run on its defaults");
  }

  @Test
  void theJarRefusesProdWithDevDefaultsInOneLine() throws Exception {
    Path f = Files.createTempFile("yzt-prod", ".json");
    Files.writeString(f, "{\"profile\": \"prod\"}");
    Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"), "org.yzt.Main",
        "-conf", f.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    long refusalLines = out.lines().filter(l -> l.contains("refusing to start in prod")).count();
    assertEquals(1, refusalLines, out);
    assertTrue(out.contains("security.dataKey"), out);
  }

  static String javaBin() {
    return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
  }
}
