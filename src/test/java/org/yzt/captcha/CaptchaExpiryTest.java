package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.yzt.captcha.CaptchaBus.assertEmptyReply;
import static org.yzt.captcha.CaptchaBus.invalid;
import static org.yzt.captcha.CaptchaBus.issue;
import static org.yzt.captcha.CaptchaBus.verify;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.testing.Layout;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;
import org.yzt.testing.Wait;

/** {@code captcha.ttlSeconds} = 1: a captcha left alone for two seconds is gone. */
@ExtendWith(VertxExtension.class)
class CaptchaExpiryTest {
  private static RedisServer redis;

  @BeforeAll
  static void deploy(Vertx vertx) {
    redis = RedisServer.startNew();
    CaptchaBus.deploy(vertx, TestService.config(redis,
        new JsonObject().put("captcha", new JsonObject().put("ttlSeconds", 1))));
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void anExpiredCaptchaIsInvalidAndAFreshOneIsNot(Vertx vertx) throws Exception {
    long issuedAt = System.currentTimeMillis();
    JsonObject stale = issue(vertx);
    assertEquals(1, stale.getInteger("expiresInSeconds"));
    JsonObject fresh = issue(vertx);
    assertEmptyReply(verify(vertx, fresh.getString("captchaId"), TestService.CAPTCHA));
    // gone within two seconds of its issue: its key expired in Redis (a TTL, not a sweep)
    String key = Layout.KEYS.captcha(stale.getString("captchaId"));
    Wait.await(Math.max(0, 2100 - (System.currentTimeMillis() - issuedAt)), "the stale captcha's key expired",
        () -> "0".equals(redis.cli("EXISTS", key).trim()));
    invalid(vertx, stale.getString("captchaId"), TestService.CAPTCHA);
  }
}
