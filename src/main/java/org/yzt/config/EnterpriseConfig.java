package org.yzt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code enterprises[]} (SPEC §5). The order of the list is the order of the apps in
 * the result text; a ninth enterprise needs nothing but a new entry.
 */
public record EnterpriseConfig(String id, String name, List<String> apps, String hotline, String guideUrl,
    String baseUrl, String keyId, String secret, long timeoutMs, int maxConcurrency, int maxQueue,
    int circuitMaxFailures, long circuitResetMs) {

  public static EnterpriseConfig from(JsonObject e) {
    List<String> apps = new ArrayList<>();
    for (Object a : e.getJsonArray("apps", new JsonArray())) {
      apps.add(String.valueOf(a));
    }
    int maxConcurrency = Math.max(1, e.getInteger("maxConcurrency", 64));
    return new EnterpriseConfig(
        require(e, "id"), e.getString("name", e.getString("id")), List.copyOf(apps),
        e.getString("hotline", ""), e.getString("guideUrl", ""),
        require(e, "baseUrl"), require(e, "keyId"), require(e, "secret"),
        e.getLong("timeoutMs", 3000L), maxConcurrency,
        e.getInteger("maxQueue", maxConcurrency * 4),
        e.getInteger("circuitMaxFailures", 20), e.getLong("circuitResetMs", 5000L));
  }

  /** Every configured enterprise, in configured order. */
  public static List<EnterpriseConfig> all(JsonObject config) {
    List<EnterpriseConfig> out = new ArrayList<>();
    for (Object o : config.getJsonArray("enterprises", new JsonArray())) {
      out.add(from((JsonObject) o));
    }
    return List.copyOf(out);
  }

  private static String require(JsonObject e, String key) {
    String v = e.getString(key);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("enterprises[]." + key + " is missing");
    }
    return v;
  }
}
