package org.yzt.runtime;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.yzt.config.NodeConfig;
import org.yzt.config.SimulatorsConfig;

/** The roles of SPEC §5 ({@code node.roles}) and the set this node takes. */
public final class Roles {
  public static final List<String> ALL = List.of(
      "gateway", "captcha", "ratelimit", "smscode", "query", "carrier", "enterprise", "sms", "simulators");

  private Roles() {}

  /** The roles this node takes: {@code ["all"]} means every one; simulators only when enabled. */
  public static Set<String> of(JsonObject config) {
    Set<String> roles = new LinkedHashSet<>();
    for (String r : NodeConfig.from(config).roles()) {
      if ("all".equals(r)) {
        roles.addAll(ALL);
      } else if (ALL.contains(r)) {
        roles.add(r);
      } else {
        throw new IllegalArgumentException("node.roles names an unknown role: " + r);
      }
    }
    if (!SimulatorsConfig.from(config).enabled()) {
      roles.remove("simulators");
    }
    return Collections.unmodifiableSet(roles);
  }
}
