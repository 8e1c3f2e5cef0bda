package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * {@code http.client.*}: what every outbound peer client shares (SPEC §11).
 *
 * @param maxResponseBytes an answer body longer than this is malformed, and dropped as it arrives
 * @param maxWaitQueue     requests waiting for a pooled connection of one peer before new ones fail
 *                         (transiently); an enterprise uses its own {@code maxQueue}, the SMS gateway
 *                         {@code sms.maxWaitQueue}
 */
public record HttpClientConfig(int maxResponseBytes, int maxWaitQueue) {
  public static HttpClientConfig from(JsonObject config) {
    JsonObject c = ConfigValues.section(ConfigValues.section(config, "http"), "http", "client");
    return new HttpClientConfig(ConfigValues.intAtLeast(c, "http.client", "maxResponseBytes", 1, 65_536),
        ConfigValues.intAtLeast(c, "http.client", "maxWaitQueue", 0, 1024));
  }
}
