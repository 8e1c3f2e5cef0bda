package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * The one way a {@code *Config} record reads a number: a JSON number, or a string of digits (a
 * {@code YZT_*} environment override arrives as one), refused with a one-line reason when it is
 * not a number or not positive. The default a record passes is the one {@code conf/config.json}
 * holds ({@code ConfigDefaultsTest} keeps them equal); it applies only to a configuration that was
 * not read through {@link ConfigLoader} (a test's).
 */
final class ConfigValues {
  private ConfigValues() {}

  static long positive(JsonObject section, String sectionName, String key, long dflt) {
    Object v = section.getValue(key);
    long n;
    if (v instanceof Number num) {
      n = num.longValue();
    } else if (v instanceof String s && !s.isBlank()) {
      try {
        n = Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(sectionName + "." + key + " is not a number");
      }
    } else {
      return dflt;
    }
    if (n <= 0) {
      throw new IllegalArgumentException(sectionName + "." + key + " must be positive");
    }
    return n;
  }

  static JsonObject section(JsonObject config, String name) {
    return config.getJsonObject(name, new JsonObject());
  }
}
