package org.yzt.config;

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

  private static final String S = "enterprises[]";

  public static EnterpriseConfig from(JsonObject e) {
    String id = require(e, "id");
    int maxConcurrency = ConfigValues.intAtLeast(e, S, "maxConcurrency", 1, 64);
    return new EnterpriseConfig(
        id, ConfigValues.text(e, S, "name", id), ConfigValues.texts(e, S, "apps"),
        ConfigValues.text(e, S, "hotline", ""), ConfigValues.text(e, S, "guideUrl", ""),
        require(e, "baseUrl"), require(e, "keyId"), require(e, "secret"),
        ConfigValues.positive(e, S, "timeoutMs", 3000), maxConcurrency,
        // the file gives each enterprise its own; an entry without one queues four per slot
        ConfigValues.intAtLeast(e, S, "maxQueue", 0, maxConcurrency * 4),
        ConfigValues.intAtLeast(e, S, "circuitMaxFailures", 1, 20), ConfigValues.positive(e, S, "circuitResetMs", 5000));
  }

  /** Every configured enterprise, in configured order. */
  public static List<EnterpriseConfig> all(JsonObject config) {
    List<EnterpriseConfig> out = new ArrayList<>();
    for (JsonObject e : ConfigValues.entries(config, "enterprises")) {
      out.add(from(e));
    }
    return List.copyOf(out);
  }

  private static String require(JsonObject e, String key) {
    String v = ConfigValues.text(e, S, key, null);
    if (v == null || v.isBlank()) {
      throw new IllegalArgumentException("enterprises[]." + key + " is missing");
    }
    return v;
  }
}
