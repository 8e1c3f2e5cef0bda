package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * SPEC §11: the tracing keys and the ops port are documented where an operator looks (the README
 * and {@code docs/}), each in a paragraph that names it and gives its default; the defaults are
 * those of {@code conf/config.json}, and where SPEC §11 names a default, that one.
 */
class TracingAndOpsPortDocsTest {
  /** The keys, and the default SPEC §11 gives (null where it gives none: conf/config.json's then). */
  private static final Map<String, String> SPEC_DEFAULTS = new java.util.LinkedHashMap<>();

  static {
    SPEC_DEFAULTS.put("tracing.otlpEndpoint", "");
    SPEC_DEFAULTS.put("tracing.sampleRatio", "0.01");
    SPEC_DEFAULTS.put("tracing.serviceName", null);
    SPEC_DEFAULTS.put("http.opsPort", "0");
    SPEC_DEFAULTS.put("http.opsHost", "127.0.0.1");
  }

  @Test
  void eachKeyIsDocumentedWithItsDefault() throws Exception {
    JsonObject conf = new JsonObject(Files.readString(Path.of("conf/config.json"), StandardCharsets.UTF_8));
    List<String> paragraphs = Arrays.stream(DocumentationTest.allDocs().split("\\n\\s*\\n")).toList();
    for (Map.Entry<String, String> key : SPEC_DEFAULTS.entrySet()) {
      String[] path = key.getKey().split("\\.");
      Object value = conf.getJsonObject(path[0]).getValue(path[1]);
      assertTrue(value != null, key.getKey() + " has its default in conf/config.json");
      String fallback = String.valueOf(value);
      if (key.getValue() != null) {
        assertEquals(key.getValue(), fallback, key.getKey() + ": conf/config.json's default is SPEC §11's");
      }
      String named = "`" + key.getKey() + "`";
      List<String> naming = paragraphs.stream().filter(p -> p.contains(named)).toList();
      assertTrue(!naming.isEmpty(), key.getKey() + " is documented (README.md or docs/)");
      // the default is said next to the key: the value itself, or for an empty one that it is off
      boolean withDefault = naming.stream().anyMatch(p -> fallback.isEmpty()
          ? p.matches("(?s).*\\b(empty|off|unset)\\b.*")
          : p.matches("(?s).*(?<![\\w.])" + java.util.regex.Pattern.quote(fallback) + "(?![\\w.]).*"));
      assertTrue(withDefault, key.getKey() + " is documented with its default (" + (fallback.isEmpty() ? "empty: off" : fallback)
          + ") in the paragraph that names it");
    }
  }

  @Test
  void theDocsSayWhatTheOpsPortAndTheTraceEndpointDo() throws Exception {
    String docs = DocumentationTest.allDocs();
    // what an operator needs to use them: where /ready and /metrics go, and what the endpoint takes
    assertTrue(docs.contains("/metrics") && docs.contains("/ready"), "the ops port's routes are named");
    assertTrue(docs.contains("404 NOT_FOUND"), "what the public port answers for them with the ops port set");
    assertTrue(docs.contains("OTLP/HTTP"), "the trace endpoint's protocol is named");
  }
}
