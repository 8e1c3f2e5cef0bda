package org.yzt.common;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisOptions;

/**
 * The one place that turns the {@code redis} configuration section into client options, so the
 * service and the operator commands reach Redis the same way.
 */
public final class RedisSetup {
  private RedisSetup() {}

  public static RedisOptions options(JsonObject config) {
    JsonObject r = config.getJsonObject("redis", new JsonObject());
    return new RedisOptions()
        .setConnectionString(r.getString("connectionString"))
        .setMaxPoolSize(r.getInteger("maxPoolSize", 32))
        .setMaxPoolWaiting(r.getInteger("maxPoolWaiting", 2048))
        .setMaxWaitingHandlers(r.getInteger("maxWaitingHandlers", 4096));
  }
}
