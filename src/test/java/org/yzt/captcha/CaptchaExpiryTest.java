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
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

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
    JsonObject stale = issue(vertx);
    assertEquals(1, stale.getInteger("expiresInSeconds"));
    JsonObject fresh = issue(vertx);
    assertEmptyReply(verify(vertx, fresh.getString("captchaId"), TestService.CAPTCHA));
    Thread.sleep(2100);
    invalid(vertx, stale.getString("captchaId"), TestService.CAPTCHA);
  }
}
