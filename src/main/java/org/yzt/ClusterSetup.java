package org.yzt;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Hazelcast membership from {@code cluster.*}: a TCP member list, never multicast, bound to
 * {@code cluster.host}:{@code cluster.port}; and the clustered event bus, over mutual TLS when
 * {@code cluster.tls} is set.
 *
 * <p>Hazelcast OSS has no TLS and no member authentication: whoever reaches a member port can join
 * and read the subscription map. What keeps messages to certified nodes is the event bus itself:
 * every node's event-bus server asks for a client certificate from {@code cluster.tls.caFile}
 * ({@link ClientAuth#REQUIRED}) and every node's client checks the server's certificate against the
 * same CA, so a node without such a certificate can neither deliver a message nor be handed one.
 * The member port still belongs on a private network (README, Production).
 */
public final class ClusterSetup {
  private static final String[] TLS_FILES = {"certFile", "keyFile", "caFile"};

  private ClusterSetup() {}

  /**
   * The event bus binds where Hazelcast does (so that nodes reach each other on {@code cluster.host})
   * and, with {@code cluster.tls}, takes and makes only TLS connections with a certificate from its CA.
   */
  public static void eventBus(EventBusOptions options, JsonObject config) {
    JsonObject c = config.getJsonObject("cluster", new JsonObject());
    String host = c.getString("host", "127.0.0.1");
    options.setHost(host).setClusterPublicHost(host).setPort(c.getInteger("eventBusPort", 0));
    JsonObject tls = c.getJsonObject("tls", new JsonObject());
    if (Arrays.stream(TLS_FILES).allMatch(f -> tls.getString(f, "").isBlank())) {
      return; // no cluster.tls: a plaintext event bus (the prod profile refuses -cluster so)
    }
    for (String file : TLS_FILES) {
      String path = tls.getString(file);
      if (path == null || !Files.isReadable(Path.of(path))) {
        throw new IllegalArgumentException("cluster.tls." + file + " is not a readable file: " + path);
      }
    }
    options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(tls.getString("certFile")).setKeyPath(tls.getString("keyFile")))
        .setTrustOptions(new PemTrustOptions().addCertPath(tls.getString("caFile")))
        // EventBusOptions defaults to trustAll=true: without this, a node sends to any server certificate
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED)
        // a peer that never answers the handshake (a plaintext intruder) holds messages queued for it until this fires
        .setSslHandshakeTimeout(c.getLong("tlsHandshakeTimeoutMs", 2000L))
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  public static ClusterManager clusterManager(JsonObject config) {
    JsonObject c = config.getJsonObject("cluster", new JsonObject());
    String host = c.getString("host", "127.0.0.1");
    int port = c.getInteger("port", 5701);
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(c.getString("name", "yzt"));
    hz.setProperty("hazelcast.logging.type", "slf4j");
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    hz.getNetworkConfig().setPort(port).setPortAutoIncrement(false);
    hz.getNetworkConfig().setPublicAddress(host + ":" + port);
    hz.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(host);
    JoinConfig join = hz.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig().setEnabled(true);
    for (Object m : c.getJsonArray("members", new JsonArray())) {
      join.getTcpIpConfig().addMember(String.valueOf(m));
    }
    if (c.getJsonArray("members", new JsonArray()).isEmpty()) {
      join.getTcpIpConfig().addMember(host + ":" + port);
    }
    return new HazelcastClusterManager(hz);
  }
}
