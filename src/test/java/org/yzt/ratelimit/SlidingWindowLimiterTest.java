package org.yzt.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;
import org.yzt.store.RedisScript;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * The limiter the gateway asks over yzt.ratelimit.acquire (a Redis Cluster's captchas, and every deployment's
 * other callers), on its own against a real Redis: since a captcha's limits are counted in its own script on
 * standalone, no HTTP test on standalone reaches it any more. Each client and site below is new to its test.
 */
class SlidingWindowLimiterTest {
  static RedisServer redis;
  static Vertx vertx;
  static AppContext ctx;
  static SlidingWindowLimiter limiter;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.startNew();
    vertx = Vertx.vertx();
    ctx = context(48);
    RedisScript script = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "rate_limit");
    limiter = new SlidingWindowLimiter(ctx, script);
    script.warm().await(10, TimeUnit.SECONDS);
  }

  private static AppContext context(int siteBits) {
    JsonObject config = TestService.config(redis, new JsonObject()
        .put("http", new JsonObject().put("ipv6SitePrefixLength", siteBits))
        .put("limits", new JsonObject().put("perIp", new JsonObject()
            .put("captcha", new JsonObject().put("max", 3).put("windowSeconds", 60))
            .put("queries", new JsonObject().put("max", 1).put("windowSeconds", 60)))));
    return new AppContext(vertx, config, new SimpleMeterRegistry());
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
    redis.close();
  }

  private static JsonObject ok(Future<JsonObject> f) throws Exception {
    return f.await(10, TimeUnit.SECONDS);
  }

  private static ServiceException refused(Future<JsonObject> f) throws Exception {
    try {
      JsonObject accepted = f.await(10, TimeUnit.SECONDS);
      throw new AssertionError("accepted: " + accepted);
    } catch (CompletionException e) {
      return (ServiceException) e.getCause();
    } catch (ServiceException e) {
      return e;
    }
  }

  @Test
  void anIpv4ClientGetsMaxInTheWindowThenRetryAfterTheRestOfIt() throws Exception {
    assertEquals(new JsonObject().put("allowed", true).put("remaining", 2),
        ok(limiter.acquire("captcha", "198.51.100.1", "r1")));
    assertEquals(1L, ok(limiter.acquire("captcha", "198.51.100.1")).getLong("remaining"));
    assertEquals(0L, ok(limiter.acquire("captcha", "198.51.100.1")).getLong("remaining"));
    ServiceException fourth = refused(limiter.acquire("captcha", "198.51.100.1", "r4"));
    assertEquals(429, fourth.failureCode());
    assertEquals("RATE_LIMITED", fourth.getMessage());
    long retry = fourth.getDebugInfo().getLong(Failures.RETRY_AFTER);
    assertTrue(retry >= 59 && retry <= 60, "Retry-After " + retry);
    // another bucket, another client: their own counts
    assertEquals(0L, ok(limiter.acquire("queries", "198.51.100.1")).getLong("remaining"));
    assertEquals(2L, ok(limiter.acquire("captcha", "198.51.100.2")).getLong("remaining"));
  }

  /** Each /64 its max; together the /48 SITE_FACTOR (8) times it, and remaining is the smaller of the two. */
  @Test
  void anIpv6ClientIsCountedByItsSlash64AndItsSite() throws Exception {
    for (int n = 1; n <= 8; n++) {
      long remaining = ok(limiter.acquire("queries", "2001:db8:60:" + n + "::/64")).getLong("remaining");
      assertEquals(0, remaining, "the /64's own max is 1");
    }
    assertEquals(429, refused(limiter.acquire("queries", "2001:db8:60:9::/64")).failureCode(), "the site's 8 spent");
    assertEquals(0L, ok(limiter.acquire("queries", "2001:db8:61:1::/64")).getLong("remaining"), "another site");

    assertEquals(2L, ok(limiter.acquire("captcha", "2001:db8:62:1::/64")).getLong("remaining"),
        "min(the /64's 2, the site's 23)");
  }

  @Test
  void anUnknownBucketOrAClientNotNamedIsRefused() throws Exception {
    assertEquals(400, refused(limiter.acquire("nope", "198.51.100.3")).failureCode());
    assertEquals(400, refused(limiter.acquire("captcha", null)).failureCode());
    assertEquals(400, refused(limiter.acquire("captcha", "")).failureCode());
    assertEquals(400, refused(limiter.acquire("captcha", "x".repeat(65))).failureCode());
    assertEquals(2L, ok(limiter.acquire("captcha", "x".repeat(64))).getLong("remaining"), "64 characters are a name");
  }

  @Test
  void aSitePrefixOf1To128IsTaken() {
    RedisScript script = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "rate_limit");
    new SlidingWindowLimiter(context(1), script);
    new SlidingWindowLimiter(context(128), script);
    assertThrows(IllegalArgumentException.class, () -> new SlidingWindowLimiter(context(129), script));
  }
}
