package org.yzt.cli;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import org.yzt.privacy.PersonalData;
import org.yzt.store.RedisKeys;
import org.yzt.store.RedisSetup;
import org.yzt.config.PipelineConfig;
import org.yzt.config.SecurityConfig;

/**
 * A short-lived, non-clustered Vert.x with one Redis client made exactly as the service makes its
 * own, for the length of one {@code admin} action.
 */
public final class AdminSession implements AutoCloseable {
  public final Vertx vertx;
  public final JsonObject config;
  public final Redis redis;
  public final RedisAPI api;
  public final PersonalData personalData;
  public final RedisKeys keys;

  public AdminSession(JsonObject config) {
    this.config = config;
    this.vertx = Vertx.vertx();
    this.redis = Redis.createClient(vertx, RedisSetup.options(config));
    this.api = RedisAPI.api(redis);
    SecurityConfig security = SecurityConfig.from(config);
    this.personalData = new PersonalData(security.dataKey(), security.previousDataKeys());
    this.keys = new RedisKeys(personalData, PipelineConfig.from(config.getJsonObject("pipeline", new JsonObject())).streamShards());
  }

  @Override
  public void close() {
    redis.close();
    vertx.close();
  }
}
