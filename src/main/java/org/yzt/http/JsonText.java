package org.yzt.http;

import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * A response body written out. An object whose values are all strings (the accepted query's answer,
 * most error bodies' inner parts aside) is written here directly, a few times cheaper than Jackson's
 * generator for four short fields; anything else goes through {@link JsonObject#encode()}. Both
 * write valid JSON of the same content.
 */
final class JsonText {
  private JsonText() {}

  static String encode(JsonObject body) {
    StringBuilder out = new StringBuilder(128).append('{');
    boolean first = true;
    for (Map.Entry<String, Object> e : body) {
      if (!(e.getValue() instanceof String value)) {
        return body.encode();
      }
      if (!first) {
        out.append(',');
      }
      first = false;
      string(out, e.getKey());
      out.append(':');
      string(out, value);
    }
    return out.append('}').toString();
  }

  private static void string(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '\u2028' || c == '\u2029') {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }
}
