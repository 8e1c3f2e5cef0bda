package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Each default has one value, in conf/config.json: every key a {@code *Config} record reads is in
 * the file; what a record falls back to for a key left out is what the file holds for it (a
 * configuration read through ConfigLoader always has the file's); docs/configuration.md lists every
 * key of the file with the file's default; and a {@code YZT_*} variable reaches every key. A default
 * changed in one place and not the others, or a key read in code that the file lacks, fails here.
 */
class ConfigDefaultsTest {
  /** Read by ConfigLoader itself (which profile's overlay applies), not through ConfigValues. */
  static final List<String> READ_BELOW = List.of("profile");
  static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (.*?) \\| .*$");

  static JsonObject file() throws Exception {
    return new JsonObject(Files.readString(Path.of(ConfigLoader.DEFAULTS)));
  }

  /** Every leaf of the file ({@code carriers[].timeoutMs} for the entries of an array of objects) and its values. */
  static Map<String, List<Object>> leaves(JsonObject file) {
    Map<String, List<Object>> out = new LinkedHashMap<>();
    leaves(file, "", out);
    return out;
  }

  private static void leaves(JsonObject o, String prefix, Map<String, List<Object>> out) {
    for (String key : o.fieldNames()) {
      Object v = o.getValue(key);
      if (v instanceof JsonObject child) {
        leaves(child, prefix + key + ".", out);
      } else if (v instanceof JsonArray a && !a.isEmpty() && a.getValue(0) instanceof JsonObject) {
        for (Object entry : a) {
          leaves((JsonObject) entry, prefix + key + "[].", out);
        }
      } else {
        out.computeIfAbsent(prefix + key, k -> new ArrayList<>()).add(v);
      }
    }
  }

  /** Reads every section through its record, as the service does. */
  static void readAll(JsonObject config) {
    SmsCodeConfig.from(config);
    LimitsConfig.from(config);
    PipelineConfig.from(config.getJsonObject("pipeline", new JsonObject()));
    CaptchaConfig.from(config);
    SmsConfig.from(config.getJsonObject("sms", new JsonObject()));
    CarrierConfig.all(config);
    EnterpriseConfig.all(config);
    HttpConfig.from(config);
    SimulatorsConfig.from(config);
    ClusterConfig.from(config);
    TracingConfig.from(config);
    NodeConfig.from(config);
    PageConfig.from(config);
    SecurityConfig.from(config);
    EmbeddedRedisConfig.from(config);
    RedisConfig.from(config);
    HttpClientConfig.from(config);
    RedisProdCheck.problems(config.getJsonObject("redis"));
    Logging.apply(config);
    VerticlesConfig verticles = VerticlesConfig.from(config);
    verticles.carrierPoolSize();
    for (String name : config.getJsonObject("verticles").fieldNames()) {
      verticles.instances(name);
    }
    JsonObject limits = config.getJsonObject("limits");
    for (String group : List.of("perIp", "smsBudget")) {
      for (String name : limits.getJsonObject(group).fieldNames()) {
        Limit.at(config, group, name);
      }
    }
  }

  @Test
  void everyKeyReadInCodeIsInTheFileAndEveryKeyOfTheFileIsRead() throws Exception {
    JsonObject file = file();
    readAll(file);
    Set<String> inFile = leaves(file).keySet();
    Set<String> missing = new TreeSet<>(ConfigValues.READ);
    missing.removeAll(inFile);
    assertEquals(Set.of(), missing, "keys read in code without a default in conf/config.json");
    Set<String> unread = new TreeSet<>(inFile);
    unread.removeAll(ConfigValues.READ);
    unread.removeIf(k -> READ_BELOW.stream().anyMatch(k::startsWith));
    assertEquals(Set.of(), unread, "keys of conf/config.json no record reads");
  }

  @Test
  void theRecordsFallBackToTheFilesDefaults() throws Exception {
    JsonObject file = file();
    JsonObject empty = new JsonObject();
    assertEquals(SmsCodeConfig.from(file), SmsCodeConfig.from(empty));
    assertEquals(LimitsConfig.from(file), LimitsConfig.from(empty));
    assertEquals(PipelineConfig.from(file.getJsonObject("pipeline")), PipelineConfig.from(empty));
    assertEquals(CaptchaConfig.from(file), CaptchaConfig.from(empty));
    assertEquals(HttpConfig.from(file), HttpConfig.from(empty));
    assertEquals(SimulatorsConfig.from(file), SimulatorsConfig.from(empty));
    assertEquals(ClusterConfig.from(file), ClusterConfig.from(empty));
    assertEquals(TracingConfig.from(file), TracingConfig.from(empty));
    assertEquals(NodeConfig.from(file), NodeConfig.from(empty));
    assertEquals(EmbeddedRedisConfig.from(file), EmbeddedRedisConfig.from(empty));
    // the data key is the deployment's secret: no fallback stands in for it
    assertEquals(SecurityConfig.from(file).previousDataKeys(), SecurityConfig.from(empty).previousDataKeys());
    assertEquals(VerticlesConfig.from(file).carrierPoolSize(), VerticlesConfig.from(empty).carrierPoolSize());
    // the gateway's credentials are the deployment's own: no fallback stands in for them
    JsonObject sms = file.getJsonObject("sms").copy();
    sms.remove("keyId");
    sms.remove("secret");
    assertEquals(SmsConfig.from(sms), SmsConfig.from(new JsonObject().put("keyId", "").put("secret", "")));
    assertEquals(RedisConfig.from(file), RedisConfig.from(empty));
    assertEquals(HttpClientConfig.from(file), HttpClientConfig.from(empty));
    entriesFallBack(file, "carriers", List.of("timeoutMs", "circuitMaxFailures", "circuitResetMs"),
        c -> CarrierConfig.all(c).get(0));
    entriesFallBack(file, "enterprises", List.of("timeoutMs", "maxConcurrency", "maxQueue", "circuitMaxFailures",
        "circuitResetMs"), c -> EnterpriseConfig.all(c).get(0));
  }

  private static void entriesFallBack(JsonObject file, String list, List<String> keys,
      java.util.function.Function<JsonObject, Object> read) {
    for (Object o : file.getJsonArray(list)) {
      JsonObject entry = (JsonObject) o;
      Object expected = read.apply(new JsonObject().put(list, new JsonArray().add(entry)));
      for (String key : keys) {
        JsonObject without = entry.copy();
        without.remove(key);
        assertEquals(expected, read.apply(new JsonObject().put(list, new JsonArray().add(without))),
            list + "[]." + key + " of " + entry.getString("id"));
      }
    }
  }

  /** Every key of the file has its row in docs/configuration.md, with the file's default. */
  @Test
  void theReferenceListsEveryKeyWithTheFilesDefault() throws Exception {
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("docs/configuration.md"))) {
      Matcher m = ROW.matcher(line);
      if (m.matches()) {
        documented.put(m.group(1), m.group(2).trim());
      }
    }
    Map<String, List<Object>> leaves = leaves(file());
    List<String> wrong = new ArrayList<>();
    leaves.forEach((key, values) -> {
      String expected = values.stream().distinct().count() == 1 ? "`" + shown(values.get(0)) + "`" : "per entry";
      if (!expected.equals(documented.get(key))) {
        wrong.add(key + ": file " + expected + ", docs " + documented.get(key));
      }
    });
    documented.forEach((key, dflt) -> {
      if (!leaves.containsKey(key) && !"absent".equals(dflt)) {
        wrong.add(key + ": documented, not in the file");
      }
    });
    assertEquals(List.of(), wrong);
  }

  /** How docs/configuration.md shows a default: text bare ({@code ""} when empty), anything else as JSON. */
  static String shown(Object v) {
    if (v instanceof String s) {
      return s.isEmpty() ? "\"\"" : s;
    }
    return v instanceof JsonArray a ? a.encode() : String.valueOf(v);
  }

  /** A {@code YZT_<PATH>} variable reaches every key of the file, with the type of the value it replaces. */
  @Test
  void anEnvironmentVariableReachesEveryKey() throws Exception {
    JsonObject file = file();
    for (String key : leaves(file).keySet()) {
      String[] path = key.replace("[]", ".0").split("\\.");
      Object before = valueAt(file, path);
      String given;
      Object expected;
      if (before instanceof Boolean b) {
        given = String.valueOf(!b);
        expected = !b;
      } else if (before instanceof Double) {
        given = "0.5";
        expected = 0.5;
      } else if (before instanceof Number) {
        given = "7";
        expected = 7L;
      } else if (before instanceof JsonArray) {
        given = "[\"x\"]";
        expected = new JsonArray().add("x");
      } else {
        given = "x";
        expected = "x";
      }
      String variable = ConfigLoader.ENV_PREFIX + String.join("_", path).toUpperCase(java.util.Locale.ROOT);
      JsonObject merged = file.copy().put(variable, given);
      JsonObject out = ConfigLoader.applyEnvironment(merged);
      assertEquals(expected, valueAt(out, path), variable);
      assertTrue(out.fieldNames().stream().noneMatch(f -> f.startsWith(ConfigLoader.ENV_PREFIX)), variable);
    }
  }

  private static Object valueAt(JsonObject root, String[] path) {
    Object node = root;
    for (String seg : path) {
      node = node instanceof JsonArray a ? a.getValue(Integer.parseInt(seg)) : ((JsonObject) node).getValue(seg);
    }
    return node;
  }
}
