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

  /** {@code limits.<group>.<name>}, e.g. {@code limits.smsBudget.perBlock}. */
  public static Limit at(JsonObject config, String group, String name) {
    JsonObject limits = config.getJsonObject("limits", new JsonObject()).getJsonObject(group, new JsonObject());
    JsonObject j = limits.getJsonObject(name, new JsonObject());
    return new Limit(j.getInteger("max", 120), j.getLong("windowSeconds", 60L) * 1000L);
  }
}
