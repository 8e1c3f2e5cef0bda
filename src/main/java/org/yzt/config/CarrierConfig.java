package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code carriers[]} (SPEC §5): the carrier serving a number is found by its 3-digit
 * prefix. {@code circuitMaxFailures} transient failures in a row open the carrier's circuit
 * breaker, which tries again after {@code circuitResetMs}, as an enterprise's does.
 */
public record CarrierConfig(String id, String name, Set<String> prefixes, String baseUrl, String keyId, String secret,
    long timeoutMs, int circuitMaxFailures, long circuitResetMs) {
  private static final String S = "carriers[]";

  public static List<CarrierConfig> all(JsonObject config) {
    List<CarrierConfig> out = new ArrayList<>();
    for (JsonObject c : ConfigValues.entries(config, "carriers")) {
      String id = ConfigValues.text(c, S, "id", null);
      out.add(new CarrierConfig(id, ConfigValues.text(c, S, "name", id),
          Set.copyOf(ConfigValues.texts(c, S, "prefixes")), ConfigValues.text(c, S, "baseUrl", null),
          ConfigValues.text(c, S, "keyId", null), ConfigValues.text(c, S, "secret", null),
          ConfigValues.positive(c, S, "timeoutMs", 3000), ConfigValues.intAtLeast(c, S, "circuitMaxFailures", 1, 20),
          ConfigValues.positive(c, S, "circuitResetMs", 5000)));
    }
    return List.copyOf(out);
  }

  /** The longest timeout of {@code carriers}: what one verification may take, whichever carrier it goes to. */
  public static long longestTimeoutMs(List<CarrierConfig> carriers) {
    long longest = 0;
    for (CarrierConfig c : carriers) {
      longest = Math.max(longest, c.timeoutMs());
    }
    return longest;
  }

  /** The carrier serving {@code phone}, or null when no configured carrier has its prefix. */
  public static CarrierConfig forPhone(List<CarrierConfig> carriers, String phone) {
    if (phone == null || phone.length() < 3) {
      return null;
    }
    String prefix = phone.substring(0, 3);
    for (CarrierConfig c : carriers) {
      if (c.prefixes().contains(prefix)) {
        return c;
      }
    }
    return null;
  }
}
