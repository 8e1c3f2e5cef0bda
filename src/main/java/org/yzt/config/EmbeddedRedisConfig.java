package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * {@code redis.embedded} and {@code redis.embeddedDir}: the dev convenience of a private Redis when
 * nothing answers at {@code redis.connectionString} (conf/prod.json turns it off in prod).
 *
 * @param embedded    whether to start one
 * @param embeddedDir where its data lives (empty: the user's cache folder)
 */
public record EmbeddedRedisConfig(boolean embedded, String embeddedDir) {
  private static final String S = "redis";

  public static EmbeddedRedisConfig from(JsonObject config) {
    JsonObject r = ConfigValues.section(config, S);
    return new EmbeddedRedisConfig(ConfigValues.flag(r, S, "embedded", true), ConfigValues.text(r, S, "embeddedDir", ""));
  }
}
