package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.cli.ReadyProbe;
import org.yzt.config.ConfigLoader;
import org.yzt.runtime.Roles;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;

/**
 * The container files, checked without Docker (no image can be pulled here): every {@code YZT_*}
 * that the Dockerfile or compose.yaml sets names a real configuration key, the jar they copy is the
 * one the pom builds, the health check asks a route the service answers, the image runs as a
 * non-root user, Redis keeps an AOF synced every second, and the two nodes split the roles and
 * hold cluster TLS material.
 */
class ContainerFilesTest {
  /** 64 hex digits that are not all one digit: an all-zero placeholder makes `docker build` fail. */
  private static final String REAL_DIGEST = "(?!([0-9a-f])\\1{63})[0-9a-f]{64}";

  @RegisterExtension
  static final ServiceExtension SERVICE = new ServiceExtension(
      new JsonObject().put("http", new JsonObject().put("opsPort", RedisServer.freePort())));

  static final Pattern YZT_VAR = Pattern.compile("\\b(YZT_[A-Z0-9_]+)\\b");

  @Test
  void everyYztVariableNamesARealConfigKey() throws Exception {
    JsonObject defaults = defaults();
    Set<String> vars = new LinkedHashSet<>();
    for (String file : new String[] {"Dockerfile", "compose.yaml"}) {
      Matcher m = YZT_VAR.matcher(Files.readString(Path.of(file)));
      while (m.find()) {
        vars.add(m.group(1));
      }
    }
    assertTrue(vars.size() >= 10, "the files configure by YZT_*: " + vars);
    for (String var : vars) {
      assertTrue(exists(defaults, var.substring(ConfigLoader.ENV_PREFIX.length()).split("_")),
          var + " names no key of conf/config.json");
    }
  }

  @Test
  void theImageRunsTheJarThePomBuildsAsANonRootUserWithAHealthCheckOnReady() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
    assertTrue(finalName.find());
    String docker = Files.readString(Path.of("Dockerfile"));
    assertTrue(docker.contains("COPY --chown=root:root target/" + finalName.group(1) + ".jar "), "the jar of the pom");
    assertTrue(docker.contains("FROM eclipse-temurin:17-jre"), "a Temurin 17 JRE");
    Matcher user = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(docker);
    assertTrue(user.find(), "a USER line");
    assertFalse(user.group(1).startsWith("root") || user.group(1).startsWith("0"), "not root: " + user.group(1));
    assertFalse(Pattern.compile("(?m)^[^#]*\\bcurl\\b").matcher(docker).find(), "the health check needs no curl");
    Matcher health = Pattern.compile("(?m)^\\s*CMD \\[\"java\", .*\"-cp\", \"/opt/yzt/" + finalName.group(1)
        + "\\.jar\", \"" + ReadyProbe.class.getName().replace(".", "\\.") + "\", \"(\\d+)\"]").matcher(docker);
    assertTrue(health.find(), "a HEALTHCHECK running the jar's ReadyProbe");
    assertTrue(docker.contains("YZT_HTTP_OPSPORT=" + health.group(1)), "the probe asks the image's ops port");
    assertTrue(docker.contains("YZT_HTTP_OPSHOST=0.0.0.0"), "the ops port reachable on the container's networks");
    assertTrue(docker.contains("YZT_HTTP_PORT=" + defaults().getJsonObject("http").getInteger("port")), "the default HTTP port");
    String compose = Files.readString(Path.of("compose.yaml"));
    assertFalse(compose.contains(":" + health.group(1) + "\""), "the ops port is never published");
    // the probe itself, against a node with an ops port: the route it asks answers there
    int opsPort = SERVICE.service().context().section("http").getInteger("opsPort");
    assertEquals(0, ReadyProbe.run(new String[] {Integer.toString(opsPort)}, System.out), "ready on the ops port");
    assertEquals(1, ReadyProbe.run(new String[] {Integer.toString(SERVICE.service().httpPort())}, System.out),
        "the public port answers /ready 404");
  }

  @Test
  void composeRunsRedisWithAofAndTwoNodesWithSplitRolesAndClusterTls() throws Exception {
    String compose = Files.readString(Path.of("compose.yaml"));
    assertTrue(compose.contains("\"--appendonly\", \"yes\", \"--appendfsync\", \"everysec\""), "AOF every second");
    // a pending job's sealed data (~103 bytes) fits a listpack value only above the default 64: half the memory
    assertTrue(compose.contains("\"--hash-max-listpack-value\", \"128\""), "pending jobs as listpacks");
    Matcher roles = Pattern.compile("YZT_NODE_ROLES: '(\\[[^']*])'").matcher(compose);
    Set<String> seen = new LinkedHashSet<>();
    int nodes = 0;
    while (roles.find()) {
      nodes++;
      for (Object r : new JsonArray(roles.group(1))) {
        assertTrue(Roles.ALL.contains(String.valueOf(r)), "a known role: " + r);
        assertTrue(seen.add(String.valueOf(r)), "each role on one node: " + r);
      }
    }
    assertEquals(2, nodes, "two yzt nodes");
    assertTrue(seen.containsAll(Set.of("gateway", "captcha", "ratelimit", "smscode", "query", "carrier", "enterprise", "sms")),
        "together they run every production role: " + seen);
    assertEquals(2, count(compose, "\"-cluster\""), "both nodes join the cluster");
    for (String file : new String[] {"YZT_CLUSTER_TLS_CERTFILE", "YZT_CLUSTER_TLS_KEYFILE", "YZT_CLUSTER_TLS_CAFILE"}) {
      assertEquals(2, count(compose, file + ":"), file + " on both nodes");
    }
    assertEquals(2, count(compose, "ca.pem:/etc/yzt/tls/ca.pem:ro"), "the CA mounted read-only on both nodes");
    assertTrue(compose.contains("internal: true"), "the cluster network has no route out");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyContainerIsPinnedReadOnlyWithoutPrivilegesAndTakesOnlyItsOwnSecretsFromFiles() throws Exception {
    String docker = Files.readString(Path.of("Dockerfile"));
    assertTrue(Pattern.compile("(?m)^FROM eclipse-temurin:17-jre@sha256:" + REAL_DIGEST).matcher(docker).find(),
        "the base image pinned by a digest that is not a placeholder");
    Map<String, Object> compose = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("compose.yaml")));
    Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
    Map<String, Object> secretFiles = (Map<String, Object>) compose.get("secrets");
    assertTrue(secretFiles != null && !secretFiles.isEmpty(), "secrets are files");
    Map<String, Set<String>> secretsOf = new java.util.HashMap<>();
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      Map<String, Object> svc = e.getValue();
      String name = e.getKey();
      assertEquals(Boolean.TRUE, svc.get("read_only"), name + " read_only");
      assertEquals(List.of("ALL"), svc.get("cap_drop"), name + " drops every capability");
      assertTrue(String.valueOf(svc.get("security_opt")).contains("no-new-privileges:true"), name + " no-new-privileges");
      assertFalse(svc.containsKey("env_file"), name + ": no secrets in the environment");
      if (svc.get("image") != null && !String.valueOf(svc.get("image")).startsWith("yzt:")) {
        assertTrue(Pattern.compile("@sha256:" + REAL_DIGEST + "$").matcher(String.valueOf(svc.get("image"))).find(),
            name + " image pinned by a digest that is not a placeholder");
      }
      Set<String> mine = new LinkedHashSet<>();
      for (Object ref : (List<Object>) svc.getOrDefault("secrets", List.of())) {
        mine.add(ref instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : String.valueOf(ref));
      }
      secretsOf.put(name, mine);
      String env = String.valueOf(svc.get("environment"));
      assertFalse(env.contains("SECRET\u003d") || env.toUpperCase(java.util.Locale.ROOT).contains("SECRET="),
          name + ": no secret in the environment");
    }
    assertTrue(secretFiles.keySet().containsAll(secretsOf.values().stream().flatMap(Set::stream).toList()));
    // each container only its own: the node configurations (with the partner secrets their roles use)
    // and the Redis password are each given to the containers that need them
    assertTrue(java.util.Collections.disjoint(secretsOf.get("front"), secretsOf.get("connectors")),
        "front and connectors share no secret: " + secretsOf);
    assertFalse(secretsOf.get("redis").isEmpty(), "Redis takes a password from a file");
    String redisCommand = String.valueOf(services.get("redis").get("command"));
    assertTrue(redisCommand.contains("/run/secrets/"), "Redis reads its password file: " + redisCommand);
  }

  /** Segments match case-insensitively, as {@link ConfigLoader} matches them; numbers index arrays. */
  private static boolean exists(Object node, String[] path) {
    for (String seg : path) {
      if (node instanceof JsonObject obj) {
        String key = obj.fieldNames().stream().filter(k -> k.equalsIgnoreCase(seg)).findFirst().orElse(null);
        if (key == null) {
          return false;
        }
        node = obj.getValue(key);
      } else if (node instanceof JsonArray arr && seg.matches("\\d+") && Integer.parseInt(seg) < arr.size()) {
        node = arr.getValue(Integer.parseInt(seg));
      } else {
        return false;
      }
    }
    return true;
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      n++;
    }
    return n;
  }

  private static JsonObject defaults() throws Exception {
    Vertx v = Vertx.vertx();
    try {
      return ConfigLoader.load(v, null, Map.of()).await(10, TimeUnit.SECONDS);
    } finally {
      v.close();
    }
  }
}
