package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code page.*}: what the page shows that the operator decides.
 *
 * @param operatorContact {@code operatorContact.{name, phone, email, hours}} (and any other text the
 *                        operator adds), only the ones filled in, in the configured order
 */
public record PageConfig(Map<String, String> operatorContact) {
  private static final String S = "page";

  public static PageConfig from(JsonObject config) {
    JsonObject contact = ConfigValues.section(ConfigValues.section(config, S), S, "operatorContact");
    Map<String, String> shown = new LinkedHashMap<>();
    // no default of its own: conf/config.json's dev example stands in only until the operator replaces it;
    // only text is shown, and only what the operator filled in
    for (String key : contact.fieldNames()) {
      if (contact.getValue(key) instanceof String) {
        String v = ConfigValues.text(contact, S + ".operatorContact", key, "");
        if (!v.isBlank()) {
          shown.put(key, v);
        }
      }
    }
    return new PageConfig(Collections.unmodifiableMap(shown));
  }
}
