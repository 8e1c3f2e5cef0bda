package org.yzt.partner;

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
    JsonObject c = config.getJsonObject("http", new JsonObject()).getJsonObject("client", new JsonObject());
    return new HttpClientConfig(Math.max(1, c.getInteger("maxResponseBytes", 65_536)),
        Math.max(0, c.getInteger("maxWaitQueue", 1024)));
  }
}
