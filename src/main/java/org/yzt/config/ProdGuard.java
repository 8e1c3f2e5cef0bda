package org.yzt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The prod profile refuses to start with dev defaults (SPEC §5): any secret or key still equal to
 * the one shipped in {@code conf/config.json}, captcha mode "fixed", or simulators enabled.
 */
public final class ProdGuard {
  private ProdGuard() {}

  /** Problems that forbid starting; empty when the configuration may run. */
  public static List<String> problems(JsonObject config, JsonObject devDefaults) {
    List<String> problems = new ArrayList<>();
    if (!"prod".equals(config.getString("profile"))) {
      return problems;
    }
    if ("fixed".equals(config.getJsonObject("captcha", new JsonObject()).getString("mode"))) {
      problems.add("captcha.mode is \"fixed\"; prod needs \"image\"");
    }
    if (config.getJsonObject("redis", new JsonObject()).getBoolean("embedded", false)) {
      problems.add("redis.embedded is true; prod uses its own Redis (set redis.embedded to false)");
    }
    if (config.getJsonObject("simulators", new JsonObject()).getBoolean("enabled", false)) {
      problems.add("simulators.enabled is true; prod talks to real carriers, enterprises and SMS gateway");
    }
    String dataKey = config.getJsonObject("security", new JsonObject()).getString("dataKey");
    if (dataKey == null || dataKey.equals(devDefaults.getJsonObject("security", new JsonObject()).getString("dataKey"))) {
      problems.add("security.dataKey is left at its dev default");
    }
    checkSecret(problems, "sms.secret", config.getJsonObject("sms", new JsonObject()).getString("secret"),
        devDefaults.getJsonObject("sms", new JsonObject()).getString("secret"));
    checkPeers(problems, "carriers", config.getJsonArray("carriers", new JsonArray()), devDefaults.getJsonArray("carriers", new JsonArray()));
    checkPeers(problems, "enterprises", config.getJsonArray("enterprises", new JsonArray()), devDefaults.getJsonArray("enterprises", new JsonArray()));
    return problems;
  }

  private static void checkPeers(List<String> problems, String what, JsonArray peers, JsonArray defaults) {
    List<String> devSecrets = new ArrayList<>();
    for (int i = 0; i < defaults.size(); i++) {
      devSecrets.add(defaults.getJsonObject(i).getString("secret"));
    }
    for (int i = 0; i < peers.size(); i++) {
      JsonObject p = peers.getJsonObject(i);
      String secret = p.getString("secret");
      if (secret == null || secret.isBlank() || devSecrets.contains(secret)) {
        problems.add(what + "[" + p.getString("id", Integer.toString(i)) + "].secret is left at its dev default");
      }
    }
  }

  private static void checkSecret(List<String> problems, String key, String value, String devValue) {
    if (value == null || value.isBlank() || value.equals(devValue)) {
      problems.add(key + " is left at its dev default");
    }
  }
}
