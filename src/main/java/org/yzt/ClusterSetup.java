package org.yzt;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

/**
 * Hazelcast membership from {@code cluster.*}: a TCP member list, never multicast, bound to
 * {@code cluster.host}:{@code cluster.port}.
 */
public final class ClusterSetup {
  private ClusterSetup() {}

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
    for (Object m : c.getJsonArray("members", new io.vertx.core.json.JsonArray())) {
      join.getTcpIpConfig().addMember(String.valueOf(m));
    }
    if (c.getJsonArray("members", new io.vertx.core.json.JsonArray()).isEmpty()) {
      join.getTcpIpConfig().addMember(host + ":" + port);
    }
    return new HazelcastClusterManager(hz);
  }
}
