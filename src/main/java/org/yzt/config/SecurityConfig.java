package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code security.*} (SPEC §9): the data key and the keys it replaced.
 *
 * @param dataKey          base64 of 32 bytes; no fallback of its own (the deployment's secret; the
 *                         file's dev key, which prod refuses, stands in only in dev)
 * @param previousDataKeys keys replaced by a rotation, still opening what was sealed under them
 */
public record SecurityConfig(String dataKey, List<String> previousDataKeys) {
  private static final String S = "security";

  public static SecurityConfig from(JsonObject config) {
    JsonObject s = ConfigValues.section(config, S);
    return new SecurityConfig(ConfigValues.text(s, S, "dataKey", null), ConfigValues.texts(s, S, "previousDataKeys"));
  }

  /** Never shows the keys. */
  @Override
  public String toString() {
    return "SecurityConfig[previousDataKeys=" + previousDataKeys.size() + "]";
  }
}
