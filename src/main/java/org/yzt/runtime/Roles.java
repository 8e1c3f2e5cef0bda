package org.yzt.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The roles of SPEC §5 ({@code node.roles}) and the set this node takes. */
public final class Roles {
  public static final List<String> ALL = List.of(
      "gateway", "captcha", "ratelimit", "smscode", "query", "carrier", "enterprise", "sms", "simulators");

  private Roles() {}

  /** The roles this node takes: {@code ["all"]} means every one; simulators only when enabled. */
  public static Set<String> of(JsonObject config) {
    JsonArray raw = config.getJsonObject("node", new JsonObject()).getJsonArray("roles", new JsonArray().add("all"));
    Set<String> roles = new LinkedHashSet<>();
    for (Object r : raw) {
      if ("all".equals(r)) {
        roles.addAll(ALL);
      } else if (ALL.contains(String.valueOf(r))) {
        roles.add(String.valueOf(r));
      } else {
        throw new IllegalArgumentException("node.roles names an unknown role: " + r);
      }
    }
    if (!config.getJsonObject("simulators", new JsonObject()).getBoolean("enabled", false)) {
      roles.remove("simulators");
    }
    return Collections.unmodifiableSet(roles);
  }
}
