package org.yzt.config;

import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * {@code cluster.*} (SPEC §5, §11), read with {@code -cluster}.
 *
 * @param name                  the membership's cluster name: nodes with another one never join
 * @param host                  the one address the membership and the event bus bind to
 * @param port                  the membership port
 * @param keyExchangePort       where the coordinator hands the group key over (0: {@code port} + 1)
 * @param members               {@code host:port} of nodes to ask to join (empty: itself)
 * @param certFile              {@code tls.certFile}: this node's PEM certificate (all three empty: no TLS)
 * @param keyFile               {@code tls.keyFile}: its private key
 * @param caFile                {@code tls.caFile}: the CA every member's certificate comes from
 * @param tlsHandshakeTimeoutMs a peer that does not finish the handshake in time is dropped
 * @param eventBusPort          the clustered event bus's port (0: any free one)
 */
public record ClusterConfig(String name, String host, int port, int keyExchangePort, List<String> members,
    String certFile, String keyFile, String caFile, long tlsHandshakeTimeoutMs, int eventBusPort) {
  private static final String S = "cluster";

  public static ClusterConfig from(JsonObject config) {
    JsonObject c = ConfigValues.section(config, S);
    JsonObject tls = ConfigValues.section(c, S, "tls");
    String t = S + ".tls";
    return new ClusterConfig(
        ConfigValues.text(c, S, "name", "yzt"),
        ConfigValues.text(c, S, "host", "127.0.0.1"),
        ConfigValues.intAtLeast(c, S, "port", 1, 5701),
        ConfigValues.intAtLeast(c, S, "keyExchangePort", 0, 0),
        ConfigValues.texts(c, S, "members"),
        ConfigValues.text(tls, t, "certFile", ""),
        ConfigValues.text(tls, t, "keyFile", ""),
        ConfigValues.text(tls, t, "caFile", ""),
        ConfigValues.positive(c, S, "tlsHandshakeTimeoutMs", 2000),
        ConfigValues.intAtLeast(c, S, "eventBusPort", 0, 0));
  }

  /** The three TLS files as {@code cluster.tls} names them. */
  public JsonObject tls() {
    return new JsonObject().put("certFile", certFile).put("keyFile", keyFile).put("caFile", caFile);
  }
}
