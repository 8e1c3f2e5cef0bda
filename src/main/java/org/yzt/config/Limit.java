package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * A sliding-window limit: at most {@code max} hits in {@code windowMs}. Configured as
 * {@code {"max", "windowSeconds"}} under {@code limits.<group>.<name>} (SPEC §5, §10).
 */
public record Limit(int max, long windowMs) {
  /** {@code limits.perIp.<bucket>}. */
  public static Limit of(JsonObject config, String bucket) {
    return at(config, "perIp", bucket);
  }

  /**
   * {@code limits.<group>.<name>}, e.g. {@code limits.smsBudget.perBlock}. Both numbers must be given: each
   * limit has its own in conf/config.json, and no one value could stand in for all of them.
   */
  public static Limit at(JsonObject config, String group, String name) {
    String path = "limits." + group + "." + name;
    JsonObject j = ConfigValues.section(ConfigValues.section(ConfigValues.section(config, "limits"), "limits", group),
        "limits." + group, name);
    long max = ConfigValues.required(j, path, "max", 1);
    if (max > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(path + ".max is too large");
    }
    return new Limit((int) max, ConfigValues.required(j, path, "windowSeconds", 1) * 1000L);
  }
}
