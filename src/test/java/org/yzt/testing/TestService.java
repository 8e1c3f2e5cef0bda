package org.yzt.testing;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yzt.Main;
import org.yzt.config.ConfigLoader;
import org.yzt.runtime.AppContext;

/**
 * The whole service, started once per test class on free ports against a private Redis, with the
 * dev defaults of {@code conf/config.json}, captcha in fixed mode, and the overrides a test gives.
 */
public final class TestService implements AutoCloseable {
  public static final String CAPTCHA = "YZT8";

  private final Main.Running running;
  private final WebClient client;
  private final int httpPort;
  private final int simPort;

  private TestService(Main.Running running, int httpPort, int simPort) {
    this.running = running;
    this.httpPort = httpPort;
    this.simPort = simPort;
    this.client = WebClient.create(running.vertx(), new WebClientOptions()
        .setDefaultHost("127.0.0.1").setDefaultPort(httpPort), new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  /** The dev defaults with the test's ports, Redis and fixed captcha, and then {@code overrides} deep-merged. */
  public static JsonObject config(RedisServer redis, JsonObject overrides) {
    return config(redis.url(), overrides);
  }

  /** The same, for a Redis at {@code redisUrl} (which need not answer yet). */
  public static JsonObject config(String redisUrl, JsonObject overrides) {
    JsonObject config = defaults();
    // the test's own Redis, never an embedded one started because it is down at that moment
    config.getJsonObject("redis").put("connectionString", redisUrl).put("embedded", false);
    config.getJsonObject("captcha").put("mode", "fixed").put("fixedAnswer", CAPTCHA)
        .put("poolSize", 8); // 2,000 images per service start would cost every test class a second of CPU
    return withFreePorts(config.mergeIn(overrides == null ? new JsonObject() : overrides, true));
  }

  /** conf/config.json as the service loads it (no file, no YZT_* variable): the same for the whole run. */
  private static JsonObject defaults;

  /**
   * The dev defaults, loaded once per test JVM (a Vert.x instance and a config retriever each time
   * cost 15–300 ms on 2 cores, for every test class); every caller gets a copy of its own.
   */
  private static synchronized JsonObject defaults() {
    if (defaults == null) {
      Vertx v = Vertx.vertx();
      try {
        defaults = ConfigLoader.load(v, null, Map.of()).await(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("configuration did not load", e);
      } finally {
        v.close();
      }
    }
    return defaults.copy();
  }

  /**
   * {@code config} with a free HTTP port and a free simulator port (the partners' simulator URLs
   * following it). The service's ports must be known before it starts (the partners' URLs name the
   * simulators'), so they are picked free here, and {@link #start} picks again if one was taken in
   * between.
   */
  static JsonObject withFreePorts(JsonObject config) {
    JsonObject out = config.copy();
    int oldSim = out.getJsonObject("simulators").getInteger("port");
    int simPort = RedisServer.freePort();
    out.getJsonObject("http").put("port", RedisServer.freePort());
    out.getJsonObject("simulators").put("port", simPort);
    String oldBase = "127.0.0.1:" + oldSim;
    String newBase = "127.0.0.1:" + simPort;
    for (String list : new String[] {"carriers", "enterprises"}) {
      JsonArray peers = out.getJsonArray(list);
      for (int i = 0; i < peers.size(); i++) {
        JsonObject p = peers.getJsonObject(i);
        p.put("baseUrl", p.getString("baseUrl").replace(oldBase, newBase));
      }
    }
    JsonObject sms = out.getJsonObject("sms");
    sms.put("baseUrl", sms.getString("baseUrl").replace(oldBase, newBase));
    return out;
  }

  public static TestService start(RedisServer redis) {
    return start(config(redis, null));
  }

  public static TestService start(RedisServer redis, JsonObject overrides) {
    return start(config(redis, overrides));
  }

  /** Starts the service; a port taken between its pick and the bind is picked again (pick, bind, retry). */
  public static TestService start(JsonObject config) {
    return start(config, java.time.Clock.systemUTC());
  }

  /** The same with the node's wall clock given ({@link ManualClock}: a test that moves time instead of waiting). */
  public static TestService start(JsonObject config, java.time.Clock clock) {
    JsonObject c = config;
    for (int attempt = 1; ; attempt++) {
      try {
        Main.Running running = Main.start(c, false, clock);
        return new TestService(running, c.getJsonObject("http").getInteger("port"),
            c.getJsonObject("simulators").getInteger("port"));
      } catch (RuntimeException e) {
        if (attempt >= 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
        c = withFreePorts(c);
      }
    }
  }

  /**
   * Ends {@code phone}'s resend cooldown now, as its expiry would: a test of what comes after the
   * cooldown need not wait it out (the cooldown itself is tested where it is the point).
   */
  public void endCooldown(String phone) {
    AppContext ctx = context();
    try {
      ctx.redis.send(io.vertx.redis.client.Request.cmd(io.vertx.redis.client.Command.DEL)
          .arg(ctx.keys.smsCooldown(ctx.keys.phoneToken(phone)))).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(e);
    }
  }

  public Vertx vertx() {
    return running.vertx();
  }

  public AppContext context() {
    return running.context();
  }

  public WebClient client() {
    return client;
  }

  public int httpPort() {
    return httpPort;
  }

  public int simulatorPort() {
    return simPort;
  }

  /** Stops the service as SIGTERM does ({@link Main.Running#stop}: the gateway and the pipeline first, then the rest). */
  public void stopGracefully() {
    client.close();
    running.stop();
  }

  /** Stops the service; a stop that fails or takes over 20 s fails the test class (it would leak into the next). */
  @Override
  public void close() {
    client.close();
    try {
      running.vertx().close().await(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the service did not stop within 20 s", e);
    } catch (Exception e) {
      throw new AssertionError("the service did not stop cleanly", e);
    }
  }
}
