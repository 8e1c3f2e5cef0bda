package org.yzt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code carriers[]} (SPEC §5): the carrier serving a number is found by its 3-digit
 * prefix. {@code circuitMaxFailures} transient failures in a row (20) open the carrier's circuit
 * breaker, which tries again after {@code circuitResetMs} (5000), as an enterprise's does.
 */
public record CarrierConfig(String id, String name, Set<String> prefixes, String baseUrl, String keyId, String secret,
    long timeoutMs, int circuitMaxFailures, long circuitResetMs) {

  public static List<CarrierConfig> all(JsonObject config) {
    List<CarrierConfig> out = new ArrayList<>();
    for (Object o : config.getJsonArray("carriers", new JsonArray())) {
      JsonObject c = (JsonObject) o;
      Set<String> prefixes = new HashSet<>();
      for (Object p : c.getJsonArray("prefixes", new JsonArray())) {
        prefixes.add(String.valueOf(p));
      }
      out.add(new CarrierConfig(c.getString("id"), c.getString("name", c.getString("id")), Set.copyOf(prefixes),
          c.getString("baseUrl"), c.getString("keyId"), c.getString("secret"), c.getLong("timeoutMs", 3000L),
          c.getInteger("circuitMaxFailures", 20), c.getLong("circuitResetMs", 5000L)));
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
