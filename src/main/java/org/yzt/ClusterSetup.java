package org.yzt;

import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.spi.cluster.ClusterManager;
import java.util.concurrent.TimeUnit;
import org.yzt.cluster.ClusterTls;
import org.yzt.cluster.Membership;
import org.yzt.config.ClusterConfig;

/**
 * {@code -cluster}: the membership ({@link Membership}: vertx-infinispan over JGroups, a TCP member
 * list bound to {@code cluster.host}:{@code cluster.port}, never multicast) and the clustered event
 * bus, both held to the {@code cluster.tls} certificates when set (SPEC §11).
 *
 * <p>Two locks, one per door. The membership lets into the view only a process that signs with a
 * key certified by {@code cluster.tls.caFile}, and encrypts what it carries (the event-bus registry:
 * which node consumes which address, where each node's event bus listens), so a stranger can neither
 * join, nor read or change the registry, nor have a message routed to it. The event bus between
 * members runs over mutual TLS with the same CA ({@link ClientAuth#REQUIRED}, the server's certificate
 * checked too), so no message reaches or leaves a process without such a certificate either.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

  /**
   * The event bus binds where the membership does (so that nodes reach each other on {@code cluster.host})
   * and, with {@code cluster.tls}, takes and makes only TLS connections with a certificate from its CA.
   */
  public static void eventBus(EventBusOptions options, JsonObject config) {
    ClusterConfig c = ClusterConfig.from(config);
    options.setHost(c.host()).setClusterPublicHost(c.host()).setPort(c.eventBusPort());
    JsonObject tls = c.tls();
    if (ClusterTls.absent(tls)) {
      return; // no cluster.tls: a plaintext event bus (the prod profile refuses -cluster so)
    }
    ClusterTls.checkFiles(tls);
    options.setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions().setCertPath(c.certFile()).setKeyPath(c.keyFile()))
        .setTrustOptions(new PemTrustOptions().addCertPath(c.caFile()))
        // EventBusOptions defaults to trustAll=true: without this, a node sends to any server certificate
        .setTrustAll(false)
        .setClientAuth(ClientAuth.REQUIRED)
        // a peer that never answers the handshake holds messages queued for it until this fires
        .setSslHandshakeTimeout(c.tlsHandshakeTimeoutMs())
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
  }

  /** The cluster manager for {@code cluster.*} (reads {@code cluster.tls}: call before Vert.x is built). */
  public static ClusterManager clusterManager(JsonObject config) {
    return Membership.create(ClusterConfig.from(config));
  }
}
