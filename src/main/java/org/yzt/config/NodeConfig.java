package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code node.*} (SPEC §5): what this process runs.
 *
 * @param roles      the roles it takes ({@code ["all"]}: every one)
 * @param eventLoops event-loop threads; 0: one per available core
 */
public record NodeConfig(List<String> roles, int eventLoops) {
  private static final String S = "node";

  public static NodeConfig from(JsonObject config) {
    JsonObject n = ConfigValues.section(config, S);
    List<String> roles = ConfigValues.texts(n, S, "roles");
    if (n.getValue("roles") == null) {
      roles = List.of("all");
    }
    return new NodeConfig(roles, ConfigValues.intAtLeast(n, S, "eventLoops", 0, 0));
  }
}
