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
    Vertx v = Vertx.vertx();
    JsonObject config;
    try {
      config = ConfigLoader.load(v, null, Map.of()).await(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("configuration did not load", e);
    } finally {
      v.close();
    }
    int httpPort = RedisServer.freePort();
    int simPort = RedisServer.freePort();
    config.getJsonObject("http").put("port", httpPort);
    // the test's own Redis, never an embedded one started because it is down at that moment
    config.getJsonObject("redis").put("connectionString", redisUrl).put("embedded", false);
    config.getJsonObject("captcha").put("mode", "fixed").put("fixedAnswer", CAPTCHA)
        .put("poolSize", 8); // 2,000 images per service start would cost every test class a second of CPU
    config.getJsonObject("simulators").put("port", simPort);
    String oldBase = "127.0.0.1:18181";
    String newBase = "127.0.0.1:" + simPort;
    for (String list : new String[] {"carriers", "enterprises"}) {
      JsonArray peers = config.getJsonArray(list);
      for (int i = 0; i < peers.size(); i++) {
        JsonObject p = peers.getJsonObject(i);
        p.put("baseUrl", p.getString("baseUrl").replace(oldBase, newBase));
      }
    }
    JsonObject sms = config.getJsonObject("sms");
    sms.put("baseUrl", sms.getString("baseUrl").replace(oldBase, newBase));
    return config.mergeIn(overrides == null ? new JsonObject() : overrides, true);
  }

  public static TestService start(RedisServer redis) {
    return start(config(redis, null));
  }

  public static TestService start(RedisServer redis, JsonObject overrides) {
    return start(config(redis, overrides));
  }

  public static TestService start(JsonObject config) {
    Main.Running running = Main.start(config, false);
    return new TestService(running, config.getJsonObject("http").getInteger("port"),
        config.getJsonObject("simulators").getInteger("port"));
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

  @Override
  public void close() {
    try {
      running.vertx().close().await(20, TimeUnit.SECONDS);
    } catch (Exception ignored) {
      // best effort at the end of a test class
    }
  }
}
