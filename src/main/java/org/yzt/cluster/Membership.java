package org.yzt.cluster;

import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.infinispan.configuration.cache.CacheMode;
import org.infinispan.configuration.global.GlobalConfigurationBuilder;
import org.infinispan.configuration.global.ShutdownHookBehavior;
import org.infinispan.configuration.parsing.ConfigurationBuilderHolder;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.yzt.config.ClusterConfig;

/**
 * The cluster manager of {@code -cluster} (SPEC §5, §11): vertx-infinispan over {@link MembershipStack},
 * with the caches vertx-infinispan's own default configuration declares (the event-bus registry,
 * node and HA information replicated to every member; shared-data maps distributed).
 */
public final class Membership {
  static final String DISTRIBUTED = "distributed-cache";
  private static final List<String> REPLICATED = List.of("__vertx.subs", "__vertx.haInfo", "__vertx.nodeInfo");
  private static final String DISTRIBUTED_TEMPLATE = "__vertx.distributed.cache.configuration";

  private Membership() {}

  /** From the {@code cluster} section of the configuration; reads {@code cluster.tls} (blocking). */
  public static ClusterManager create(ClusterConfig cluster) {
    String name = cluster.name();
    JsonObject tls = cluster.tls();
    ClusterTls material = ClusterTls.absent(tls) ? null : ClusterTls.load(tls);
    try {
      ConfigurationBuilderHolder holder = new ConfigurationBuilderHolder();
      GlobalConfigurationBuilder global = holder.getGlobalConfigurationBuilder();
      global.defaultCacheName(DISTRIBUTED);
      // no shutdown hook of Infinispan's own: on SIGTERM it would drop the membership while Vert.x still
      // unregisters this node's consumers through it; Vert.x's close stops it (OwnedCachesClusterManager)
      global.shutdown().hookBehavior(ShutdownHookBehavior.DONT_REGISTER);
      global.transport().clusterName(name)
          .transport(new JGroupsTransport(MembershipStack.channel(endpoints(cluster), material, name)));
      holder.newConfigurationBuilder(DISTRIBUTED).clustering().cacheMode(CacheMode.DIST_SYNC);
      holder.newConfigurationBuilder(DISTRIBUTED_TEMPLATE).template(true).clustering().cacheMode(CacheMode.DIST_SYNC);
      for (String cache : REPLICATED) {
        holder.newConfigurationBuilder(cache).clustering().cacheMode(CacheMode.REPL_SYNC);
      }
      DefaultCacheManager caches = new DefaultCacheManager(holder, false);
      return new OwnedCachesClusterManager(caches);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot set up the cluster membership: " + e.getMessage(), e);
    }
  }

  /** {@code cluster.host}, {@code cluster.port}, {@code cluster.keyExchangePort} (0: port + 1), {@code cluster.members}. */
  public static MembershipStack.Endpoints endpoints(ClusterConfig cluster) {
    String host = cluster.host();
    int port = cluster.port();
    int keyExchange = cluster.keyExchangePort();
    List<InetSocketAddress> members = new ArrayList<>();
    for (String m : cluster.members()) {
      members.add(member(m));
    }
    if (members.isEmpty()) {
      members.add(new InetSocketAddress(host, port));
    }
    try {
      return new MembershipStack.Endpoints(InetAddress.getByName(host), port, keyExchange > 0 ? keyExchange : port + 1, members);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("cluster.host is not an address: " + host);
    }
  }

  private static InetSocketAddress member(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
      return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("cluster.members holds " + hostPort + ", not host:port");
    }
  }
}
