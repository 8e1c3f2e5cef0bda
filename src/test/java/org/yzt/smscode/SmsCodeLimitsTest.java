package org.yzt.smscode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ManualClock;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;

/**
 * The daily cap of codes per number, with a one-second resend cooldown so the test need not wait a
 * minute, on a clock the test moves: the day passes without being waited out (the daily log's times are
 * the service's clock; only its key's TTL is Redis's).
 */
@ExtendWith(VertxExtension.class)
class SmsCodeLimitsTest {
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("smsCode", new JsonObject().put("resendSeconds", 1).put("maxPerDay", 3))).withClock(clock);

  @AfterEach
  void realTimeAgain() {
    clock.reset();
  }

  @Test
  void theFourthCodeInADayIsRefusedUntilTheFirstIsADayOld() throws Exception {
    Api api = new Api(app.service());
    String phone = Numbers.fresh();
    String previous = null;
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = app.api().requestCode(phone);
      assertEquals(202, r.statusCode(), r.bodyAsString());
      assertEquals(1, r.bodyAsJsonObject().getInteger("resendAfterSeconds"));
      String code = app.api().latestCode(phone);
      if (previous != null) {
        // a new code replaces the previous one (two random codes are equal once in a million)
        assertNotEquals(previous, code, "a new code");
        HttpResponse<Buffer> old = app.api().submit(phone, "12345X", previous);
        assertEquals("SMS_CODE_INVALID", Api.errorCode(old), old.bodyAsString());
        assertEquals(4, old.bodyAsJsonObject().getInteger("remainingAttempts"), "the new code's own attempts");
      }
      previous = code;
      app.service().endCooldown(phone);
      clock.advance(Duration.ofSeconds(10)); // the codes 10 s apart on the service's clock
    }
    HttpResponse<Buffer> capped = app.api().requestCode(phone);
    assertEquals(429, capped.statusCode());
    assertEquals("SMS_CODE_DAILY_LIMIT", Api.errorCode(capped));
    long retry = Long.parseLong(capped.getHeader("Retry-After"));
    assertTrue(retry > 86_000 && retry <= 86_400, "Retry-After " + retry);
    assertEquals(3, app.api().inbox(phone).size());
    // SPEC §2.2's "per day" is a sliding 24 h: 10 s before the first code is a day old it still counts ...
    clock.advance(Duration.ofSeconds(retry - 10));
    app.service().endCooldown(phone);
    HttpResponse<Buffer> stillCapped = app.api().requestCode(phone);
    assertEquals("SMS_CODE_DAILY_LIMIT", Api.errorCode(stillCapped), stillCapped.bodyAsString());
    long left = Long.parseLong(stillCapped.getHeader("Retry-After"));
    assertTrue(left >= 1 && left <= 11, "the first code's day ends in seconds: Retry-After " + left);
    // ... and once it is, a fourth code is sent, and only one: the second, 10 s younger, still counts
    clock.advance(Duration.ofSeconds(left + 1));
    HttpResponse<Buffer> fourth = app.api().requestCode(phone);
    assertEquals(202, fourth.statusCode(), fourth.bodyAsString());
    app.service().endCooldown(phone);
    HttpResponse<Buffer> fifth = app.api().requestCode(phone);
    assertEquals("SMS_CODE_DAILY_LIMIT", Api.errorCode(fifth), fifth.bodyAsString());
    assertEquals(4, app.api().inbox(phone).size());
    // the last code sent still works after the refusals (submitting it starts the number's query window,
    // a Redis TTL that no Java clock shortens: so it comes last)
    assertEquals(202, app.api().submit(phone, "12345X", app.api().latestCode(phone)).statusCode());
  }

  @Test
  void expiredCodeIsSmsCodeExpired() throws Exception {
    // codes live smsCode.ttlSeconds; here we take the code's key away as its TTL would
    Api api = new Api(app.service());
    String phone = Numbers.fresh();
    String code = app.api().codeFor(phone);
    String token = app.service().context().keys.phoneToken(phone);
    long pttl = Long.parseLong(app.redis().cli("PTTL", app.service().context().keys.smsCode(token)).trim());
    assertTrue(pttl > 290_000 && pttl <= 300_000, "lives smsCode.ttlSeconds (300 s): PTTL " + pttl);
    app.redis().cli("DEL", app.service().context().keys.smsCode(token));
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(app.api().submit(phone, "12345X", code)));
  }
}
