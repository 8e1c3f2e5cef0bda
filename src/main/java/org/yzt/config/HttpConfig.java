package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code http.*} (SPEC §5) but {@code http.client}: where the gateway and the ops port listen, the
 * body limit, and how a client's address is found and counted.
 *
 * @param port                 the gateway's port (0: any free one)
 * @param host                 the gateway's address
 * @param maxBodyBytes         larger request bodies get 413
 * @param trustedProxies       addresses or CIDR ranges whose {@code X-Forwarded-For} is believed
 * @param ipv6PrefixLength     an IPv6 client is counted by this prefix
 * @param ipv6SitePrefixLength an IPv6 site: clients of one such prefix share the site tier
 * @param opsPort              the separate metrics and health port (0: none; they stay on the gateway)
 * @param opsHost              its address
 */
public record HttpConfig(int port, String host, int maxBodyBytes, List<String> trustedProxies, int ipv6PrefixLength,
    int ipv6SitePrefixLength, int opsPort, String opsHost) {
  private static final String S = "http";

  public static HttpConfig from(JsonObject config) {
    JsonObject h = ConfigValues.section(config, S);
    return new HttpConfig(
        ConfigValues.intAtLeast(h, S, "port", 0, 8080),
        ConfigValues.text(h, S, "host", "0.0.0.0"),
        ConfigValues.intAtLeast(h, S, "maxBodyBytes", 1, 4096),
        ConfigValues.texts(h, S, "trustedProxies"),
        ConfigValues.intAtLeast(h, S, "ipv6PrefixLength", 1, 64),
        ConfigValues.intAtLeast(h, S, "ipv6SitePrefixLength", 1, 48),
        ConfigValues.intAtLeast(h, S, "opsPort", 0, 0),
        ConfigValues.text(h, S, "opsHost", "127.0.0.1"));
  }
}
