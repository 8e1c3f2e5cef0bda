package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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

  /** The defaults SPEC §2, §5, §10 and §11 name, as the classes that use them read them from conf/config.json. */
  @Test
  void theSpecsDefaultsAreWhatTheServiceReads() throws Exception {
    JsonObject c = load(null, Map.of());
    // §10 send budgets, per 7-digit block and for the whole service; wrong codes per client
    assertEquals(new org.yzt.config.Limit(30, 600_000),
        org.yzt.config.Limit.at(c, "smsBudget", "perBlock"));
    assertEquals(new org.yzt.config.Limit(200_000, 3_600_000),
        org.yzt.config.Limit.at(c, "smsBudget", "global"));
    assertEquals(new org.yzt.config.Limit(30, 3_600_000),
        org.yzt.config.Limit.of(c, "codeFailures"));
    // §11: consumers idle an hour with nothing pending are removed; the dead-letter stream holds 100,000;
    // §3: deadline and retries
    org.yzt.config.PipelineConfig p = org.yzt.config.PipelineConfig.from(c.getJsonObject("pipeline"));
    assertEquals(3_600_000L, p.consumerIdleMs());
    assertEquals(100_000, p.deadLetterMax());
    assertEquals(172_800_000L, p.deadlineMs());
    // §5 and §2.2
    JsonObject sms = c.getJsonObject("smsCode");
    assertEquals(List.of(300, 60, 5, 5), List.of(sms.getInteger("ttlSeconds"), sms.getInteger("resendSeconds"),
        sms.getInteger("maxPerDay"), sms.getInteger("maxAttempts")));
    assertEquals(1000, c.getJsonObject("pipeline").getInteger("retryInitialMs"));
    assertEquals(600_000, c.getJsonObject("pipeline").getInteger("retryMaxMs"));
    assertEquals(0, c.getJsonObject("redis").getInteger("waitReplicas"));
    assertEquals(200, c.getJsonObject("redis").getInteger("waitTimeoutMs"));
    assertEquals(65_536, c.getJsonObject("http").getJsonObject("client").getInteger("maxResponseBytes"));
    assertEquals(2_000, c.getJsonObject("captcha").getInteger("poolSize"));
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
    Process p = new ProcessBuilder(childJvm(
        "-conf", f.toString())).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    long refusalLines = out.lines().filter(l -> l.contains("refusing to start in prod")).count();
    assertEquals(1, refusalLines, out);
    assertTrue(out.contains("security.dataKey"), out);
  }

  /**
   * A prod {@code -conf} file as an operator writes it: only keys SPEC §5 lists (profile, the data
   * key, simulators off, every peer's secret and https URL), nothing about dev conveniences such as
   * {@code redis.embedded}.
   */
  static JsonObject prodFile(JsonObject defaults) {
    JsonObject file = new JsonObject().put("profile", "prod")
        .put("simulators", new JsonObject().put("enabled", false))
        .put("security", new JsonObject().put("dataKey", java.util.Base64.getEncoder().encodeToString(new byte[32])))
        .put("sms", new JsonObject().put("secret", "s".repeat(32)).put("baseUrl", "https://sms.example.cn/gw"));
    for (String list : new String[] {"carriers", "enterprises"}) {
      io.vertx.core.json.JsonArray peers = new io.vertx.core.json.JsonArray();
      for (Object o : defaults.getJsonArray(list)) {
        JsonObject peer = ((JsonObject) o).copy(); // arrays replace: each peer whole, with SPEC §5's fields
        peers.add(peer.put("secret", "x".repeat(31) + peer.getString("id"))
            .put("baseUrl", "https://" + peer.getString("id") + ".example.cn/yzt"));
      }
      file.put(list, peers);
    }
    return file;
  }

  /** {@link #prodFile} read as the service reads it: over the defaults and the prod overlay. */
  static JsonObject validProd(JsonObject defaults) throws Exception {
    Path f = Files.createTempFile("yzt-prod", ".json");
    try {
      Files.writeString(f, prodFile(defaults).encode());
      return load(f.toString(), Map.of());
    } finally {
      Files.deleteIfExists(f);
    }
  }

  @Test
  void aProdConfigurationThatDoesNotMentionTheEmbeddedRedisStarts() throws Exception {
    JsonObject defaults = load(null, Map.of());
    assertTrue(defaults.getJsonObject("redis").getBoolean("embedded"), "dev starts a private Redis when none answers");
    assertTrue(!prodFile(defaults).getJsonObject("redis", new JsonObject()).containsKey("embedded"));
    JsonObject prod = validProd(defaults);
    assertEquals(false, prod.getJsonObject("redis").getBoolean("embedded"), "false in prod unless said otherwise");
    assertEquals(List.of(), ProdGuard.problems(prod, defaults, false), "a complete prod configuration starts");
    assertEquals(true, load(null, Map.of("YZT_PROFILE", "prod", "YZT_REDIS_EMBEDDED", "true"))
        .getJsonObject("redis").getBoolean("embedded"), "an explicit value still wins (and the guard refuses it)");
  }

  @Test
  void aNodeChecksTheSecretsOfThePeersItsRolesCallAndNoTwoPeersShareOne() throws Exception {
    JsonObject defaults = load(null, Map.of());
    JsonObject ok = validProd(defaults);
    // a front node holds no partner secret at all: they stay at (or are) what conf/config.json ships
    JsonObject front = ok.copy();
    front.put("node", new JsonObject().put("roles", new io.vertx.core.json.JsonArray().add("gateway").add("captcha")
        .add("ratelimit").add("smscode").add("query")));
    front.put("sms", front.getJsonObject("sms").copy().put("secret", defaults.getJsonObject("sms").getString("secret")));
    front.put("carriers", defaults.getJsonArray("carriers").copy());
    front.getJsonArray("carriers").forEach(o -> ((JsonObject) o).put("baseUrl", "https://carrier.example.cn/yzt"));
    front.getJsonObject("security").put("dataKey", ok.getJsonObject("security").getString("dataKey"));
    JsonObject frontEnterprises = front.copy();
    frontEnterprises.getJsonArray("enterprises").forEach(o -> ((JsonObject) o).remove("secret"));
    assertEquals(List.of(), ProdGuard.problems(frontEnterprises, defaults, false), "a node that calls no partner needs no secret");
    JsonObject smsNode = frontEnterprises.copy();
    smsNode.getJsonObject("node").put("roles", new io.vertx.core.json.JsonArray().add("sms"));
    assertEquals(List.of("sms.secret is left at its dev default"), ProdGuard.problems(smsNode, defaults, false));
    JsonObject carrierNode = frontEnterprises.copy();
    carrierNode.getJsonObject("node").put("roles", new io.vertx.core.json.JsonArray().add("carrier"));
    String carrierProblems = String.join("; ", ProdGuard.problems(carrierNode, defaults, false));
    assertTrue(carrierProblems.contains("carriers[cmcc].secret is left at its dev default"), carrierProblems);
    assertTrue(!carrierProblems.contains("sms.") && !carrierProblems.contains("enterprises["), carrierProblems);
    // one secret for two peers: whoever learns one may sign as the other
    JsonObject shared = ok.copy();
    shared.getJsonArray("enterprises").getJsonObject(1).put("secret", shared.getJsonObject("sms").getString("secret"));
    String sharedProblems = String.join("; ", ProdGuard.problems(shared, defaults, false));
    assertTrue(sharedProblems.contains("enterprises[alibaba].secret is the same as sms.secret"), sharedProblems);
    assertTrue(!sharedProblems.contains("s".repeat(32)), "no secret in the reason");
  }

  @Test
  void prodRefusesARedisOffLoopbackWithoutTlsAndCredentialsUnlessToldOtherwise() throws Exception {
    JsonObject defaults = load(null, Map.of());
    JsonObject ok = validProd(defaults);
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put("redis://10.0.0.5:6379/0", "redis.connectionString is a Redis off loopback without TLS");
    refused.put("redis://:pass-word-1@redis.example.cn:6379/0", "redis.connectionString is a Redis off loopback without TLS");
    refused.put("rediss://redis.example.cn:6380/0", "redis.connectionString is a Redis off loopback without credentials");
    refused.put("rediss://yzt@10.0.0.5:6380/0", "redis.connectionString is a Redis off loopback without credentials");
    for (Map.Entry<String, String> e : refused.entrySet()) {
      JsonObject c = ok.copy();
      c.getJsonObject("redis").put("connectionString", e.getKey());
      String all = String.join("; ", ProdGuard.problems(c, defaults, false));
      assertTrue(all.contains(e.getValue()), e.getKey() + ": " + all);
      assertTrue(!all.contains("pass-word-1"), "no password in the reason");
      c.getJsonObject("redis").put("allowPlaintext", true);
      assertEquals(List.of(), ProdGuard.problems(c, defaults, false), "allowed explicitly: " + e.getKey());
    }
    for (String fine : List.of("rediss://yzt:pass-word-1@redis.example.cn:6380/0", "rediss://:pw@10.0.0.5:6380",
        "redis://127.0.0.1:6379/0", "redis://localhost:6379", "redis://[::1]:6379")) {
      JsonObject c = ok.copy();
      c.getJsonObject("redis").put("connectionString", fine);
      assertEquals(List.of(), ProdGuard.problems(c, defaults, false), fine);
    }
    JsonObject sentinel = ok.copy();
    sentinel.getJsonObject("redis").put("type", "sentinel").put("endpoints",
        new io.vertx.core.json.JsonArray().add("rediss://yzt:pw@s1.example.cn:26379").add("redis://10.0.0.7:26379"));
    assertEquals(List.of("redis.endpoints[1] is a Redis off loopback without TLS; prod needs rediss://user:password@… "
        + "(or redis.allowPlaintext: true for a private network you vouch for)"), ProdGuard.problems(sentinel, defaults, false));
  }

  @Test
  void prodRefusesEachOpenDoorOfSpec11() throws Exception {
    JsonObject defaults = load(null, Map.of());
    JsonObject ok = validProd(defaults);
    assertEquals(List.of(), ProdGuard.problems(ok, defaults, false), "a complete prod configuration starts");
    Map<String, java.util.function.Consumer<JsonObject>> doors = new java.util.LinkedHashMap<>();
    doors.put("profile is \"Prod\"", c -> c.put("profile", "Prod"));
    doors.put("profile is \"production\"", c -> c.put("profile", "production"));
    doors.put("sms.baseUrl is not https://", c -> c.getJsonObject("sms").put("baseUrl", "http://sms.example.cn/gw"));
    doors.put("carriers[cmcc].baseUrl points at a loopback address",
        c -> c.getJsonArray("carriers").getJsonObject(0).put("baseUrl", "https://127.0.0.2:8443/x"));
    doors.put("enterprises[tencent].baseUrl points at a loopback address",
        c -> c.getJsonArray("enterprises").getJsonObject(0).put("baseUrl", "https://localhost/x"));
    doors.put("enterprises[alibaba].baseUrl points at a loopback address",
        c -> c.getJsonArray("enterprises").getJsonObject(1).put("baseUrl", "https://[::1]:9000/x"));
    doors.put("enterprises[alipay].baseUrl is a simulator URL",
        c -> c.getJsonArray("enterprises").getJsonObject(2).put("baseUrl",
            defaults.getJsonArray("enterprises").getJsonObject(2).getString("baseUrl")));
    doors.put("sms.secret is shorter than 32 bytes", c -> c.getJsonObject("sms").put("secret", "s".repeat(31)));
    doors.put("carriers[cucc].secret is shorter than 32 bytes", c -> c.getJsonArray("carriers").getJsonObject(1).put("secret", "sixteen-byte-key"));
    doors.put("redis.embedded is true", c -> c.getJsonObject("redis").put("embedded", true));
    doors.put("security.previousDataKeys holds the dev key", c -> c.getJsonObject("security")
        .put("previousDataKeys", new io.vertx.core.json.JsonArray().add(defaults.getJsonObject("security").getString("dataKey"))));
    for (Map.Entry<String, java.util.function.Consumer<JsonObject>> door : doors.entrySet()) {
      JsonObject c = ok.copy();
      door.getValue().accept(c);
      String all = String.join("; ", ProdGuard.problems(c, defaults, false));
      assertTrue(all.contains(door.getKey()), door.getKey() + " not refused: " + all);
    }
    String cluster = String.join("; ", ProdGuard.problems(ok, defaults, true));
    assertTrue(cluster.contains("-cluster needs cluster.tls.certFile"), cluster);
    JsonObject withTls = ok.copy();
    withTls.getJsonObject("cluster").put("tls", new JsonObject().put("certFile", "/c.pem").put("keyFile", "/k.pem").put("caFile", "/ca.pem"));
    assertEquals(List.of(), ProdGuard.problems(withTls, defaults, true), "-cluster with cluster.tls starts");
    for (String wildcard : List.of("0.0.0.0", "::")) {
      JsonObject everywhere = withTls.copy();
      everywhere.getJsonObject("cluster").put("host", wildcard);
      String all = String.join("; ", ProdGuard.problems(everywhere, defaults, true));
      assertTrue(all.contains("cluster.host is " + wildcard), "-cluster on every interface not refused: " + all);
      assertEquals(List.of(), ProdGuard.problems(everywhere, defaults, false), "cluster.host matters only with -cluster");
    }
  }

  @Test
  void theJarRefusesClusterWithoutTlsAndAProfileNamedProdInOneLine() throws Exception {
    JsonObject ok = validProd(load(null, Map.of()));
    for (JsonObject config : List.of(ok, ok.copy().put("profile", "Prod"))) {
      Path f = Files.createTempFile("yzt-prod", ".json");
      Files.writeString(f, config.encode());
      Path log = Files.createTempFile("yzt-prod", ".log");
      Process p = new ProcessBuilder(childJvm(
          "-conf", f.toString(), "-cluster")).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean exited = p.waitFor(60, TimeUnit.SECONDS);
      if (!exited) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // it started instead of refusing
      }
      String out = Files.readString(log);
      assertTrue(exited, "the node started instead of refusing:\n" + out);
      assertEquals(2, p.exitValue(), out);
      List<String> refusals = out.lines().filter(l -> l.contains("refusing to start")).toList();
      assertEquals(1, refusals.size(), out);
      assertTrue(refusals.get(0).contains("-cluster needs cluster.tls"), out);
      assertEquals("Prod".equals(config.getString("profile")), refusals.get(0).contains("profile is \"Prod\""), out);
    }
  }

  /** {@code org.yzt.Main} with {@code args} in a child JVM started as the tests start every node. */
  static List<String> childJvm(String... args) {
    List<String> cmd = new java.util.ArrayList<>(org.yzt.testing.NodeProcess.javaCommand());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.yzt.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
