package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code page.*}: what the page shows that the operator decides.
 *
 * @param operatorContact {@code operatorContact.{name, phone, email, hours}}, only the ones filled in
 */
public record PageConfig(Map<String, String> operatorContact) {
  private static final String S = "page";
  private static final String[] CONTACT = {"name", "phone", "email", "hours"};

  public static PageConfig from(JsonObject config) {
    JsonObject contact = ConfigValues.section(ConfigValues.section(config, S), S, "operatorContact");
    Map<String, String> shown = new LinkedHashMap<>();
    for (String key : CONTACT) {
      // no default of its own: conf/config.json's dev example stands in only until the operator replaces it
      String v = ConfigValues.text(contact, S + ".operatorContact", key, "");
      if (!v.isBlank()) {
        shown.put(key, v);
      }
    }
    return new PageConfig(Collections.unmodifiableMap(shown));
  }
}
