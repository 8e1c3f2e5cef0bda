package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * {@code tracing.*} (SPEC §11): OpenTelemetry, off while {@code otlpEndpoint} is empty.
 *
 * @param otlpEndpoint an OTLP/HTTP traces URL; empty: no tracing
 * @param sampleRatio  the share of HTTP requests traced, 0 to 1
 * @param serviceName  the {@code service.name} of every span
 */
public record TracingConfig(String otlpEndpoint, double sampleRatio, String serviceName) {
  private static final String S = "tracing";

  public static TracingConfig from(JsonObject config) {
    JsonObject t = ConfigValues.section(config, S);
    return new TracingConfig(
        ConfigValues.text(t, S, "otlpEndpoint", ""),
        ConfigValues.fraction(t, S, "sampleRatio", 0.01),
        ConfigValues.text(t, S, "serviceName", "yzt"));
  }

  public boolean enabled() {
    return !otlpEndpoint.isBlank();
  }
}
