package org.yzt.ops;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.ClusterSetup;
import org.yzt.contract.Addresses;

/**
 * An intruder for {@link ClusterTlsTest}: two Vert.x instances in one JVM that join the yzt
 * Hazelcast cluster (OSS Hazelcast lets anyone who reaches a member port join), one with a
 * plaintext event bus, one with a certificate from another CA (trusting the cluster's CA). Each
 * registers a consumer for {@code yzt.sms.send}, as a node with the sms role would, and keeps
 * calling {@code yzt.carrier.verify} and {@code yzt.enterprise.count.tencent}; it prints a line for
 * every message it is handed and for every call's outcome. Args: the cluster config (JSON) with
 * {@code cluster.members}, the two Hazelcast ports, the foreign {@code cluster.tls} section (JSON).
 */
public final class RogueNodeMain {
  private RogueNodeMain() {}

  public static void main(String[] args) throws Exception {
    JsonArray members = new JsonArray(args[0]);
    join("plain", members, Integer.parseInt(args[1]), null);
    join("foreign", members, Integer.parseInt(args[2]), new JsonObject(args[3]));
    System.out.println("ROGUE READY");
    System.out.flush();
  }

  private static void join(String name, JsonArray members, int hzPort, JsonObject tls) throws Exception {
    JsonObject cluster = new JsonObject().put("host", "127.0.0.1").put("port", hzPort).put("members", members);
    if (tls != null) {
      cluster.put("tls", tls);
    }
    JsonObject config = new JsonObject().put("cluster", cluster);
    VertxOptions options = new VertxOptions();
    ClusterSetup.eventBus(options.getEventBusOptions(), config);
    Vertx vertx = Vertx.builder().with(options).withClusterManager(ClusterSetup.clusterManager(config))
        .buildClustered().await(60, TimeUnit.SECONDS);
    vertx.eventBus().<JsonObject>consumer(Addresses.SMS_SEND, msg -> {
      System.out.println("ROGUE " + name + " received " + msg.address());
      msg.reply(new JsonObject().put("messageId", msg.body().getString("messageId")).put("status", "QUEUED"));
    }).completion().await(30, TimeUnit.SECONDS);
    JsonObject probe = new JsonObject().put("phone", "13800138000").put("idLast6", "12345X");
    for (String address : List.of(Addresses.CARRIER_VERIFY, Addresses.enterpriseCount("tencent"))) {
      vertx.setPeriodic(700, t -> vertx.eventBus().request(address, probe, new DeliveryOptions().setSendTimeout(2_000))
          .onSuccess(r -> System.out.println("ROGUE " + name + " call " + address + " ok " + r.body()))
          .onFailure(e -> System.out.println("ROGUE " + name + " call " + address + " failed "
              + (e instanceof ReplyException re ? re.failureType() : e.getClass().getSimpleName()) + ": " + e.getMessage())));
    }
  }
}
