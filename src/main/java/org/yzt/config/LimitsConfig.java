package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * {@code limits.queryWindowSeconds} (SPEC §5, §10): how long after a query its number cannot be
 * queried again (and, for the phone-card query, its ID number). The sliding-window limits of the
 * same section are {@link Limit}s.
 */
public record LimitsConfig(long queryWindowSeconds) {
  public static LimitsConfig from(JsonObject config) {
    return new LimitsConfig(ConfigValues.positive(ConfigValues.section(config, "limits"), "limits",
        "queryWindowSeconds", 86_400));
  }
}
