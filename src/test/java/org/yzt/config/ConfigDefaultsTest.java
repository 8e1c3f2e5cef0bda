package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.yzt.store.RedisConfig;
import org.yzt.store.RedisKeys;

/**
 * Each default has one value: what a {@code *Config} record falls back to for a key left out is what
 * conf/config.json holds for it (a configuration read through ConfigLoader always has the file's),
 * so a default changed in one place and not the other fails here.
 */
class ConfigDefaultsTest {
  static JsonObject file() throws Exception {
    return new JsonObject(Files.readString(Path.of(ConfigLoader.DEFAULTS)));
  }

  @Test
  void theRecordsFallBackToTheFilesDefaults() throws Exception {
    JsonObject file = file();
    JsonObject empty = new JsonObject();
    assertEquals(SmsCodeConfig.from(file), SmsCodeConfig.from(empty));
    assertEquals(LimitsConfig.from(file), LimitsConfig.from(empty));
    assertEquals(PipelineConfig.from(file.getJsonObject("pipeline")), PipelineConfig.from(empty));
    assertEquals(CaptchaConfig.from(file).ttlSeconds(), CaptchaConfig.from(empty).ttlSeconds());
    assertEquals(CaptchaConfig.from(file).maxRendersInFlight(), CaptchaConfig.from(empty).maxRendersInFlight());
    SmsConfig sms = SmsConfig.from(file.getJsonObject("sms"));
    SmsConfig smsDefault = SmsConfig.from(empty);
    assertEquals(sms.sender(), smsDefault.sender());
    assertEquals(sms.timeoutMs(), smsDefault.timeoutMs());
    assertEquals(sms.defaultDeliverWithinMs(), smsDefault.defaultDeliverWithinMs());
    assertEquals(RedisConfig.from(file).commandTimeoutMs(), RedisConfig.from(empty).commandTimeoutMs());
    assertEquals(RedisConfig.from(file).waitTimeoutMs(), RedisConfig.from(empty).waitTimeoutMs());
    // pipeline.streamShards is read below the config layer (RedisKeys, in common), so outside PipelineConfig
    assertEquals(RedisKeys.shardCount(file), RedisKeys.shardCount(empty));
    for (Object c : file.getJsonArray("carriers")) {
      JsonObject carrier = (JsonObject) c;
      JsonObject withoutTimeout = carrier.copy();
      withoutTimeout.remove("timeoutMs");
      assertEquals(carrier.getLong("timeoutMs"),
          CarrierConfig.all(new JsonObject().put("carriers", new JsonArray().add(withoutTimeout))).get(0).timeoutMs(),
          "carriers[].timeoutMs of " + carrier.getString("id"));
    }
  }
}
