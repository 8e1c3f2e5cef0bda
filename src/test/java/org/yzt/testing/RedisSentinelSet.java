package org.yzt.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A primary, one replica and three sentinels (quorum 2), each a real {@code redis-server} on a free
 * loopback port. Sentinels call the primary down after 1 s without an answer.
 */
public final class RedisSentinelSet implements AutoCloseable {
  public static final String MASTER_NAME = "yztmaster";

  private final Path dir;
  private final RedisProcess primary;
  private final RedisProcess replica;
  private final List<RedisProcess> sentinels = new ArrayList<>();
  private final List<RedisProcess> extraSentinels = new ArrayList<>();

  private RedisSentinelSet(Path dir, RedisProcess primary, RedisProcess replica) {
    this.dir = dir;
    this.primary = primary;
    this.replica = replica;
  }

  public static RedisSentinelSet start() {
    try {
      Path dir = Files.createTempDirectory("yzt-sentinel");
      RedisProcess primary = RedisProcess.onFreePort(port ->
          RedisProcess.start(dir, "primary", port, "Ready to accept connections", data(dir, "primary", port)));
      int p = primary.port();
      RedisProcess replica = RedisProcess.onFreePort(port -> {
        List<String> replicaArgs = new ArrayList<>(data(dir, "replica", port));
        replicaArgs.addAll(List.of("--replicaof", "127.0.0.1", Integer.toString(p)));
        return RedisProcess.start(dir, "replica", port, "Ready to accept connections", replicaArgs);
      });
      replica.awaitLog("MASTER <-> REPLICA sync: Finished with success", 10_000);
      RedisSentinelSet set = new RedisSentinelSet(dir, primary, replica);
      for (int i = 0; i < 3; i++) {
        String name = "sentinel-" + i;
        set.sentinels.add(RedisProcess.onFreePort(s -> {
          Path conf = dir.resolve(name + ".conf");
          try {
            Files.writeString(conf, String.join("\n",
                "port " + s, "bind 127.0.0.1", "protected-mode no", "dir " + dir,
                "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + p + " 2",
                "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
                "sentinel failover-timeout " + MASTER_NAME + " 6000",
                "sentinel parallel-syncs " + MASTER_NAME + " 1", ""));
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
          return RedisProcess.start(dir, name, s, "+monitor", List.of(conf.toString(), "--sentinel"));
        }));
      }
      // each sentinel must know the replica and the other sentinels before a failover can be agreed
      for (RedisProcess s : set.sentinels) {
        s.awaitLog("+slave", 15_000);
        s.awaitLog("+sentinel", 15_000);
      }
      return set;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static List<String> data(Path dir, String name, int port) {
    return List.of("--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
        "--dir", dir.toString(), "--dbfilename", name + ".rdb", "--protected-mode", "no",
        "--repl-diskless-sync-delay", "0"); // Redis 7 otherwise waits 5 s for more replicas before a full sync
  }

  /** The service's dev configuration ({@link TestService#config}) behind these sentinels, {@code more} deep-merged. */
  public JsonObject serviceConfig(JsonObject more) {
    JsonObject overrides = new JsonObject()
        .put("redis", new JsonObject().put("type", "sentinel").put("endpoints", new JsonArray(sentinelUrls()))
            .put("masterName", MASTER_NAME));
    return TestService.config("redis://127.0.0.1:1/0", overrides.mergeIn(more, true));
  }

  public List<String> sentinelUrls() {
    List<String> urls = new ArrayList<>();
    for (RedisProcess s : sentinels) {
      urls.add("redis://127.0.0.1:" + s.port() + "/0");
    }
    return urls;
  }

  public RedisProcess primary() {
    return primary;
  }

  public RedisProcess replica() {
    return replica;
  }

  /**
   * Starts a sentinel that watches the primary of now but can neither hear nor send the sentinels'
   * hello messages (its SUBSCRIBE and PUBLISH are renamed to commands Redis does not know), so it
   * never learns of a failover and goes on naming the old primary, as a sentinel cut off from the
   * others, or restarted with an old configuration, does. It is not in {@link #sentinelUrls()}, is
   * never asked by {@link #sentinelCli}, and is closed with the set. Returns its URL.
   */
  public String startCutOffSentinel() {
    int p = primary.port();
    RedisProcess cutOff = RedisProcess.onFreePort(s -> {
      Path conf = dir.resolve("sentinel-cut-off.conf");
      try {
        Files.writeString(conf, String.join("\n",
            "port " + s, "bind 127.0.0.1", "protected-mode no", "dir " + dir,
            "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + p + " 2",
            "sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
            "sentinel rename-command " + MASTER_NAME + " SUBSCRIBE yzt-no-subscribe",
            "sentinel rename-command " + MASTER_NAME + " PUBLISH yzt-no-publish", ""));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      return RedisProcess.start(dir, "sentinel-cut-off", s, "+monitor", List.of(conf.toString(), "--sentinel"));
    });
    extraSentinels.add(cutOff);
    return "redis://127.0.0.1:" + cutOff.port() + "/0";
  }

  /** A command to the first sentinel (SENTINEL FAILOVER …), its answer as redis-cli prints it. */
  public String sentinelCli(String... args) {
    return sentinels.get(0).cli(args);
  }

  /** The port the sentinels now name as primary. */
  public int primaryPortNow() {
    String[] addr = sentinels.get(0).cli("SENTINEL", "get-master-addr-by-name", MASTER_NAME).split("\\s+");
    return Integer.parseInt(addr[addr.length - 1]);
  }

  @Override
  public void close() {
    for (RedisProcess s : sentinels) {
      s.close();
    }
    for (RedisProcess s : extraSentinels) {
      s.close();
    }
    replica.close();
    primary.close();
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }
}
