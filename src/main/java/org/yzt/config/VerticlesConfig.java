package org.yzt.config;

import io.vertx.core.json.JsonObject;

/**
 * {@code verticles.<name>.*}: how many instances of each verticle a node deploys, and the carrier
 * verticle's HTTP pool. Each verticle's count must be given: conf/config.json gives each its own, and
 * no one number could stand in for all of them.
 */
public record VerticlesConfig(JsonObject section) {
  private static final String S = "verticles";

  public static VerticlesConfig from(JsonObject config) {
    return new VerticlesConfig(ConfigValues.section(config, S));
  }

  /** {@code verticles.<name>.instances} (0: none on this node). */
  public int instances(String name) {
    long n = ConfigValues.required(ConfigValues.section(section, S, name), S + "." + name, "instances", 0);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(S + "." + name + ".instances is too large");
    }
    return (int) n;
  }

  /** {@code verticles.carrier.poolSize}: HTTP/1 connections to each carrier, per verticle instance. */
  public int carrierPoolSize() {
    return ConfigValues.intAtLeast(ConfigValues.section(section, S, "carrier"), S + ".carrier", "poolSize", 1, 64);
  }
}
