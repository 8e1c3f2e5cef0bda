package org.yzt.ops;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.cluster.infinispan.InfinispanClusterManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.infinispan.manager.DefaultCacheManager;
import org.infinispan.remoting.transport.jgroups.JGroupsTransport;
import org.jgroups.protocols.pbcast.GMS;
import org.yzt.ClusterSetup;
import org.yzt.contract.Addresses;

/**
 * An intruder for {@link ClusterTest}: keeps trying to join the yzt cluster at its members' addresses
 * with our own cluster manager, two ways at once: "plain", a process with no certificate (a
 * plaintext membership stack), and "foreign", one whose certificate comes from another CA (it trusts
 * the cluster's CA, so nothing on its side stands in the way). A refused attempt that fails prints
 * {@code ROGUE <name> refused} and tries again; when JGroups gives up joining (after {@link #JOIN_ATTEMPTS}) it founds a cluster of
 * its own ({@code ROGUE <name> joined a cluster of 1}) and keeps probing ours to merge. A joined intruder registers {@code yzt.sms.send} as an SMS
 * node would and keeps calling {@code yzt.carrier.verify}, printing every message it is handed and
 * every call's outcome. Args: {@code cluster.members} (JSON), {@code cluster.keyExchangePort}, the
 * foreign {@code cluster.tls} section (JSON).
 */
public final class RogueNodeMain {
  static final String HOST = "127.0.0.3";
  static final int JOIN_ATTEMPTS = 3;

  private RogueNodeMain() {}

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void main(String[] args) {
    JsonArray members = new JsonArray(args[0]);
    int keyExchangePort = Integer.parseInt(args[1]);
    JsonObject foreign = new JsonObject(args[2]);
    Thread plain = new Thread(() -> keepTrying("plain", members, keyExchangePort, null), "rogue-plain");
    Thread certified = new Thread(() -> keepTrying("foreign", members, keyExchangePort, foreign), "rogue-foreign");
    plain.start();
    certified.start();
    System.out.println("ROGUE READY");
    System.out.flush();
  }

  private static void keepTrying(String name, JsonArray members, int keyExchangePort, JsonObject tls) {
    while (true) {
      try {
        JsonObject config = config(members, keyExchangePort, tls);
        ClusterManager manager = ClusterSetup.clusterManager(config);
        impatient(manager);
        Vertx vertx = join(manager, config);
        System.out.println("ROGUE " + name + " joined a cluster of " + manager.getNodes().size());
        behave(name, vertx);
        return;
      } catch (Exception e) {
        System.out.println("ROGUE " + name + " refused " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Three join attempts (6 s) before it founds a cluster of its own, not JGroups' ten (20 s): the
   * coordinator answers (drops, or refuses) each attempt alike, so the test sees the same refusals and
   * the same merge probes afterwards, 14 s sooner. An intruder's patience is its own to choose.
   */
  private static void impatient(ClusterManager manager) {
    DefaultCacheManager caches = (DefaultCacheManager) ((InfinispanClusterManager) manager).getCacheContainer();
    JGroupsTransport transport = (JGroupsTransport) caches.getCacheManagerConfiguration().transport().transport();
    GMS gms = transport.getChannel().getProtocolStack().findProtocol(GMS.class);
    gms.setMaxJoinAttempts(JOIN_ATTEMPTS);
  }

  private static Vertx join(ClusterManager manager, JsonObject config) throws Exception {
    VertxOptions options = new VertxOptions();
    ClusterSetup.eventBus(options.getEventBusOptions(), config);
    return Vertx.builder().with(options).withClusterManager(manager).buildClustered().await(60, TimeUnit.SECONDS);
  }

  private static JsonObject config(JsonArray members, int keyExchangePort, JsonObject tls) {
    // its own address (another "machine" on loopback) and a free port; it knocks at the members'
    JsonObject cluster = new JsonObject().put("host", HOST).put("port", freePort())
        .put("keyExchangePort", keyExchangePort).put("members", members);
    if (tls != null) {
      cluster.put("tls", tls);
    }
    return new JsonObject().put("cluster", cluster);
  }

  private static void behave(String name, Vertx vertx) throws Exception {
    vertx.eventBus().<JsonObject>consumer(Addresses.SMS_SEND, msg -> {
      System.out.println("ROGUE " + name + " received " + msg.address());
      msg.reply(new JsonObject().put("messageId", msg.body().getString("messageId")).put("status", "QUEUED"));
    }).completion().await(30, TimeUnit.SECONDS);
    JsonObject probe = new JsonObject().put("phone", "13800138000").put("idLast6", "12345X");
    for (String address : List.of(Addresses.CARRIER_VERIFY)) {
      vertx.setPeriodic(700, t -> vertx.eventBus().request(address, probe, new DeliveryOptions().setSendTimeout(2_000))
          .onSuccess(r -> System.out.println("ROGUE " + name + " call " + address + " ok " + r.body()))
          .onFailure(e -> System.out.println("ROGUE " + name + " call " + address + " failed "
              + (e instanceof ReplyException re ? re.failureType() : e.getClass().getSimpleName()) + ": " + e.getMessage())));
    }
  }
}
