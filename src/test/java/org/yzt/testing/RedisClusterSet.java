package org.yzt.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real Redis Cluster on loopback: six {@code redis-server} processes, three masters (slots split in
 * three even ranges) and a replica for each, joined over RESP ({@code CLUSTER MEET}, {@code ADDSLOTS},
 * {@code REPLICATE}; no redis-cli needed). A cluster node's bus listens on its port + 10,000, so ports
 * are drawn below 55,536 with both free, and a node that cannot bind is started again on other ports.
 */
public final class RedisClusterSet implements AutoCloseable {
  private static final int NODE_TIMEOUT_MS = 2000;
  private final Path dir;
  private final List<RedisProcess> nodes = new ArrayList<>();

  private RedisClusterSet(Path dir) {
    this.dir = dir;
  }

  public static RedisClusterSet start() {
    return start(true);
  }

  /**
   * {@code withReplicas} false: the three masters alone (a benchmark's like-for-like beside one standalone
   * Redis without a replica: a master feeds every write to its replica, and that is CPU of its own).
   */
  public static RedisClusterSet start(boolean withReplicas) {
    try {
      RedisClusterSet set = new RedisClusterSet(Files.createTempDirectory("yzt-cluster"));
      for (int i = 0; i < (withReplicas ? 6 : 3); i++) {
        set.nodes.add(set.startNode(i));
      }
      set.join();
      return set;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private RedisProcess startNode(int i) {
    IllegalStateException last = null;
    for (int attempt = 0; attempt < 10; attempt++) {
      int port = freePortWithBus();
      try {
        return RedisProcess.start(dir, "node-" + i + "-" + port, port, "Ready to accept connections", List.of(
            "--port", Integer.toString(port), "--bind", "127.0.0.1", "--protected-mode", "no",
            "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
            "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS), "--save", "", "--appendonly", "no",
            "--dir", dir.toString(), "--dbfilename", "dump-" + port + ".rdb", "--repl-diskless-sync-delay", "0"));
      } catch (IllegalStateException e) {
        last = e; // taken meanwhile by another process: other ports
      }
    }
    throw last;
  }

  /** A port below 55,536 that is free, and whose cluster bus port (+10,000) is free too. */
  static int freePortWithBus() {
    for (int i = 0; i < 1000; i++) {
      int port = 20_000 + ThreadLocalRandom.current().nextInt(35_000);
      if (free(port) && free(port + 10_000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port pair");
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void join() {
    RedisProcess first = nodes.get(0);
    for (RedisProcess n : nodes.subList(1, nodes.size())) {
      check(first.cli("CLUSTER", "MEET", "127.0.0.1", Integer.toString(n.port())));
    }
    for (int m = 0; m < 3; m++) {
      int from = m * 16384 / 3;
      int to = (m + 1) * 16384 / 3;
      List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
      for (int slot = from; slot < to; slot++) {
        args.add(Integer.toString(slot));
      }
      check(nodes.get(m).cli(args.toArray(new String[0])));
    }
    // every node must know every other before a replica can name its master
    await(() -> nodes.stream().allMatch(n -> n.cli("CLUSTER", "NODES").lines().count() == nodes.size()), 20_000,
        "every node knows the others");
    for (int r = 3; r < nodes.size(); r++) {
      String masterId = nodes.get(r - 3).cli("CLUSTER", "MYID");
      check(nodes.get(r).cli("CLUSTER", "REPLICATE", masterId));
    }
    awaitOk();
    for (int r = 3; r < nodes.size(); r++) {
      nodes.get(r).awaitLog("MASTER <-> REPLICA sync: Finished with success", 20_000);
    }
  }

  /** Waits until every live node says cluster_state:ok and agrees there are three masters with slots. */
  public void awaitOk() {
    await(() -> live().stream().allMatch(n -> n.cli("CLUSTER", "INFO").contains("cluster_state:ok")
        && n.cli("CLUSTER", "INFO").contains("cluster_size:3")), 30_000, "cluster_state:ok on every node");
  }

  private List<RedisProcess> live() {
    List<RedisProcess> out = new ArrayList<>();
    for (RedisProcess n : nodes) {
      if (n.isAlive()) {
        out.add(n);
      }
    }
    return out;
  }

  /** The masters now (with slots), as their processes. */
  public List<RedisProcess> masters() {
    List<RedisProcess> out = new ArrayList<>();
    for (RedisProcess n : live()) {
      if (n.cli("ROLE").startsWith("master")) {
        out.add(n);
      }
    }
    return out;
  }

  /** The live master serving {@code slot} now. */
  public RedisProcess masterOf(int slot) {
    for (RedisProcess m : masters()) {
      for (String line : m.cli("CLUSTER", "NODES").lines().toList()) {
        if (line.contains("myself") && servesSlot(line, slot)) {
          return m;
        }
      }
    }
    throw new IllegalStateException("no live master serves slot " + slot);
  }

  private static boolean servesSlot(String nodesLine, int slot) {
    String[] parts = nodesLine.split(" ");
    for (int i = 8; i < parts.length; i++) {
      String range = parts[i];
      if (range.startsWith("[")) {
        continue;
      }
      String[] ends = range.split("-");
      int from = Integer.parseInt(ends[0]);
      int to = ends.length > 1 ? Integer.parseInt(ends[1]) : from;
      if (slot >= from && slot <= to) {
        return true;
      }
    }
    return false;
  }

  /** Waits until every live replica has all its master has written (equal replication offsets). */
  public void awaitReplicasInSync() {
    await(() -> {
      for (RedisProcess m : masters()) {
        long offset = field(m.cli("INFO", "replication"), "master_repl_offset");
        for (RedisProcess n : live()) {
          String info = n.cli("INFO", "replication");
          if (info.contains("role:slave") && info.contains("master_port:" + m.port())
              && field(info, "slave_repl_offset") < offset) {
            return false;
          }
        }
      }
      return true;
    }, 20_000, "replicas in sync");
  }

  private static long field(String info, String name) {
    for (String line : info.lines().toList()) {
      if (line.startsWith(name + ":")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  /**
   * The service's dev configuration ({@link TestService#config}) on this cluster, with {@code redis.waitReplicas}
   * 1 and a pipeline that reclaims quickly after a failover, and {@code more} deep-merged.
   */
  public JsonObject serviceConfig(JsonObject more) {
    JsonObject overrides = new JsonObject()
        .put("redis", new JsonObject().put("type", "cluster").put("endpoints", new JsonArray(seedUrls()))
            .put("waitReplicas", 1).put("waitTimeoutMs", 200))
        .put("pipeline", new JsonObject().put("blockMs", 300).put("claimIdleMs", 2000).put("retryInitialMs", 200));
    return TestService.config("redis://127.0.0.1:1/0", overrides.mergeIn(more, true));
  }

  /** {@code redis://} URLs of the three first masters, the service's {@code redis.endpoints}. */
  public List<String> seedUrls() {
    List<String> urls = new ArrayList<>();
    for (RedisProcess n : nodes.subList(0, 3)) {
      urls.add("redis://127.0.0.1:" + n.port());
    }
    return urls;
  }

  public List<RedisProcess> nodes() {
    return List.copyOf(nodes);
  }

  private static void check(String reply) {
    if (!reply.startsWith("OK")) {
      throw new IllegalStateException("cluster set-up: " + reply);
    }
  }

  private static void await(java.util.function.BooleanSupplier condition, long timeoutMs, String what) {
    long until = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < until) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (IllegalStateException e) {
        // a node just killed: ask again
      }
      RedisProcess.sleep(50);
    }
    throw new IllegalStateException("timed out waiting for " + what);
  }

  @Override
  public void close() {
    for (RedisProcess n : nodes) {
      n.close();
    }
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }
}
