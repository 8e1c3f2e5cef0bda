package org.yzt.store;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A Lua script from {@code src/main/resources/lua}, run by EVALSHA. Redis forgets scripts when it
 * restarts (or a replica without them becomes master), and the client does not retry on NOSCRIPT, so a
 * NOSCRIPT answer runs it once more by EVAL with its source, which also leaves it in that server's
 * cache. EVAL names the same keys, so on a Redis Cluster it goes to the master that answered NOSCRIPT:
 * each master gets every script it runs, however many masters there are and whichever was promoted.
 */
public final class RedisScript {
  private final Redis redis;
  private final String source;
  private final String sha;
  private final long timeoutMs;

  private RedisScript(Redis redis, String source, long timeoutMs) {
    this.redis = redis;
    this.source = source;
    this.sha = sha1Hex(source);
    this.timeoutMs = timeoutMs;
  }

  /**
   * Reads {@code lua/<part>.lua} for each part, in order, as one script: shared helpers (under
   * {@code lua/lib/}, of which only the functions the script uses: {@link LibFunctions}) come first, the
   * script's body last. Call where reading a small resource may
   * block (startup).
   */
  public static RedisScript load(Redis redis, long timeoutMs, String... parts) {
    return load(redis, timeoutMs, Map.of(), parts);
  }

  /**
   * As {@link #load(Redis, long, String...)}, with {@code constants} written in front, each as a
   * number {@code NAME} and as a string {@code NAME_S} (for a command's argument): numbers that are
   * the same on every call (a node's configured limits) made once when Redis compiles the script,
   * rather than parsed from an argument, made a Lua string and converted on every call. A change of
   * them is another script (another SHA), so nodes configured differently never share one.
   */
  public static RedisScript load(Redis redis, long timeoutMs, Map<String, Long> constants, String... parts) {
    StringBuilder source = new StringBuilder();
    // sorted by name: Map.of iterates in an order that changes from one JVM to the next, and nodes of
    // one configuration should load one script (one SHA), not one each
    new TreeMap<>(constants).forEach((name, value) -> {
      if (!CONSTANT_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("not a constant's name: " + name);
      }
      source.append("local ").append(name).append(", ").append(name).append("_S = ")
          .append(value).append(", '").append(value).append("'\n");
    });
    // lua/lib/ parts bring only the functions this script uses (LibFunctions: each is a closure made per call)
    List<String> texts = new java.util.ArrayList<>();
    List<Boolean> isLib = new java.util.ArrayList<>();
    for (String part : parts) {
      texts.add(resource("lua/" + part + ".lua"));
      isLib.add(part.startsWith("lib/"));
    }
    source.append(LibFunctions.join(texts, isLib));
    return new RedisScript(redis, source.toString(), timeoutMs);
  }

  /** The script's text as Redis runs it (for tests). */
  String source() {
    return source;
  }

  /** Another script ({@link #load(Redis, long, Map, String...)}) on this one's client and with its timeout. */
  public RedisScript sibling(Map<String, Long> constants, String... parts) {
    return load(redis, timeoutMs, constants, parts);
  }

  private static final Pattern CONSTANT_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final int MILLIS_DIGITS = 13;

  /**
   * Epoch milliseconds as the {@value #MILLIS_DIGITS} digits of a slot of lua/lib/hit_log.lua (every
   * millisecond from 2001 to 2286 has 13; earlier ones are zero-padded).
   */
  public static String millisText(long epochMs) {
    String digits = Long.toString(epochMs);
    if (digits.length() == MILLIS_DIGITS) {
      return digits;
    }
    if (epochMs < 0 || digits.length() > MILLIS_DIGITS) {
      throw new IllegalStateException("the clock is outside the years 1970-2286");
    }
    return "0".repeat(MILLIS_DIGITS - digits.length()) + digits;
  }

  private static String resource(String path) {
    try (InputStream in = RedisScript.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  /**
   * The masters of each Redis Cluster client ({@link #onEveryMaster}): SCRIPT LOAD names no key, so the
   * cluster client sends it to one node, and every other master would answer the script's first call
   * NOSCRIPT and take it by EVAL (a round trip more, and its source compiled on the request's path).
   */
  private static final Map<Redis, ClusterMasters> MASTERS = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** Scripts on {@code cluster} are preloaded on every one of {@code masters} (call where the client is made). */
  public static void onEveryMaster(Redis cluster, ClusterMasters masters) {
    MASTERS.put(cluster, masters);
  }

  /** {@code wrapper} sends through {@code client}: its scripts are preloaded where the client's are. */
  static void sameMasters(Redis wrapper, Redis client) {
    ClusterMasters masters = MASTERS.get(client);
    if (masters != null) {
      MASTERS.put(wrapper, masters);
    }
  }

  /** Loads the script into Redis now (on a Redis Cluster, into every master), so the first request does not pay for it. */
  public Future<Void> preload() {
    ClusterMasters masters = MASTERS.get(redis);
    if (masters == null) {
      return preload(redis::send);
    }
    return masters.all().compose(clients -> {
      List<Future<Void>> loaded = new java.util.ArrayList<>();
      for (Redis master : clients) {
        loaded.add(preload(master::send));
      }
      return Future.all(loaded).<Void>mapEmpty();
    });
  }

  private Future<Void> preload(Function<Request, Future<Response>> send) {
    Future<Response> sent = send.apply(Request.cmd(Command.SCRIPT).arg("LOAD").arg(source));
    return (timeoutMs > 0 ? sent.timeout(timeoutMs, TimeUnit.MILLISECONDS) : sent).mapEmpty();
  }

  /**
   * Loads the script at start so the first request runs it directly. Never fails: with Redis away at
   * start the node still comes up (and /ready says Redis is down); NOSCRIPT later loads it then.
   */
  public Future<Void> warm() {
    return preload().recover(err -> Future.succeededFuture());
  }

  public Future<Response> run(List<String> keys, List<String> args) {
    return run(redis::send, keys, args);
  }

  /** Runs on one borrowed connection, so that a command sent after it (WAIT) is about this write. */
  public Future<Response> run(RedisConnection conn, List<String> keys, List<String> args) {
    return run(conn::send, keys, args);
  }

  private Future<Response> run(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return evalsha(send, keys, args).recover(err -> {
      if (err.getMessage() != null && err.getMessage().startsWith("NOSCRIPT")) {
        return eval(send, Request.cmd(Command.EVAL).arg(source), keys, args);
      }
      return Future.failedFuture(err);
    });
  }

  private Future<Response> evalsha(Function<Request, Future<Response>> send, List<String> keys, List<String> args) {
    return eval(send, Request.cmd(Command.EVALSHA).arg(sha), keys, args);
  }

  private Future<Response> eval(Function<Request, Future<Response>> send, Request req, List<String> keys,
      List<String> args) {
    req.arg(keys.size());
    for (String k : keys) {
      req.arg(k);
    }
    for (String a : args) {
      req.arg(a == null ? "" : a);
    }
    Future<Response> sent = send.apply(req);
    // timeoutMs 0: the client bounds each command itself (the pipeline's PipelinedRedis); a second
    // timer per command would only cost
    return timeoutMs > 0 ? sent.timeout(timeoutMs, TimeUnit.MILLISECONDS) : sent;
  }

  private static String sha1Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
