package org.yzt.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;

/**
 * SPEC §2.6, the IPv6 site tier: all clients of one /48 together get 8 times each per-IP max, the
 * /64 is checked first and only what it let through counts toward the /48, and the refusal's
 * Retry-After comes from the tier that refused. Over real HTTP through a trusted proxy.
 */
class SiteLimitTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("captcha", new JsonObject().put("max", 2).put("windowSeconds", 60))
          .put("queries", new JsonObject().put("max", 2).put("windowSeconds", 60))
          .put("smsCodes", new JsonObject().put("max", 2).put("windowSeconds", 60)))));

  private static HttpResponse<Buffer> captcha(String ip) {
    return app.api().as(ip).send(HttpMethod.POST, "/api/v1/captcha", null, null, null);
  }

  @Test
  void rotatingSlash64sInsideOneSiteGetsEightTimesOneClientsMax() {
    // the first /64 uses its 2, then is refused by its own tier: those refusals do not count for the site
    assertEquals(201, captcha("2001:db8:48:1::1").statusCode());
    assertEquals(201, captcha("2001:db8:48:1::2").statusCode());
    for (int i = 0; i < 5; i++) {
      HttpResponse<Buffer> r = captcha("2001:db8:48:1::3");
      assertEquals(429, r.statusCode());
      assertEquals("RATE_LIMITED", Api.errorCode(r));
    }
    // seven more /64s of the same /48: 2 each, 16 in all for the site
    for (int n = 2; n <= 8; n++) {
      for (int i = 0; i < 2; i++) {
        HttpResponse<Buffer> r = captcha("2001:db8:48:" + n + "::" + (i + 1));
        assertEquals(201, r.statusCode(), "/64 number " + n + ": " + Api.errorCode(r));
      }
    }
    // a fresh /64 of the site is refused by the site tier, with the site's Retry-After
    HttpResponse<Buffer> ninth = captcha("2001:db8:48:9::1");
    assertEquals(429, ninth.statusCode(), "the ninth /64 of the site");
    assertEquals("RATE_LIMITED", Api.errorCode(ninth));
    long retry = Long.parseLong(ninth.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    // another site, and an IPv4 client, are someone else
    assertEquals(201, captcha("2001:db8:49:1::1").statusCode());
    assertEquals(201, captcha("198.51.100.48").statusCode());
  }

  @Test
  void aFloodOfRefusalsWritesOneSampledLineNamingTheClientByItsTokenNeverItsAddress() {
    String ip = "198.51.100.77";
    ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
        .getLogger(SlidingWindowLimiter.class);
    ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
        new ch.qos.logback.core.read.ListAppender<>();
    lines.start();
    log.addAppender(lines);
    try {
      assertEquals(201, captcha(ip).statusCode());
      assertEquals(201, captcha(ip).statusCode());
      for (int i = 0; i < 40; i++) {
        assertEquals(429, captcha(ip).statusCode());
      }
    } finally {
      log.detachAppender(lines);
    }
    String token = app.service().context().keys.clientToken(ip);
    java.util.List<String> mine = lines.list.stream().map(e -> e.getFormattedMessage() + " " + e.getKeyValuePairs())
        .filter(l -> l.contains(token)).toList();
    assertEquals(1, mine.size(), "one line a minute for this client and bucket: " + mine);
    assertTrue(mine.get(0).contains("count=\"1\""), mine.get(0));
    assertTrue(lines.list.stream().noneMatch(e -> (e.getFormattedMessage() + e.getKeyValuePairs()).contains(ip)),
        "no client address in a log line");
  }

  @Test
  void theAppendersDropRatherThanBlockAnEventLoop() throws Exception {
    for (String file : java.util.List.of("/logback.xml", "/logback-json.xml")) {
      ch.qos.logback.classic.LoggerContext context = new ch.qos.logback.classic.LoggerContext();
      ch.qos.logback.classic.joran.JoranConfigurator joran = new ch.qos.logback.classic.joran.JoranConfigurator();
      joran.setContext(context);
      joran.doConfigure(SiteLimitTest.class.getResource(file));
      var root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      java.util.List<ch.qos.logback.core.Appender<ch.qos.logback.classic.spi.ILoggingEvent>> appenders = new java.util.ArrayList<>();
      root.iteratorForAppenders().forEachRemaining(appenders::add);
      assertEquals(1, appenders.size(), file);
      var async = (ch.qos.logback.classic.AsyncAppender) appenders.get(0);
      assertTrue(async.isNeverBlock(), file + ": the root appender drops rather than blocks when full");
      context.stop();
    }
  }

  @Test
  void theSiteTierHoldsForQueriesCountedInsideTheSubmissionToo() {
    // each try counts for its /64 (a wrong or expired code still counts); 2 per /64, 16 per /48
    for (int i = 0; i < 2; i++) {
      assertEquals("SMS_CODE_EXPIRED", Api.errorCode(submit("2001:db8:4a:1::1")));
    }
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = submit("2001:db8:4a:1::2");
      assertEquals(429, r.statusCode(), "the /64's own limit");
    }
    // the /64's refusals never reached the site: seven more /64s get their 2 each
    for (int n = 2; n <= 8; n++) {
      for (int i = 0; i < 2; i++) {
        assertEquals("SMS_CODE_EXPIRED", Api.errorCode(submit("2001:db8:4a:" + n + "::1")), "/64 number " + n);
      }
    }
    HttpResponse<Buffer> ninth = submit("2001:db8:4a:9::1");
    assertEquals(429, ninth.statusCode(), "the site's limit");
    assertEquals("RATE_LIMITED", Api.errorCode(ninth));
    long retry = Long.parseLong(ninth.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(submit("2001:db8:4b:1::1")), "another site");
  }

  @Test
  void aSiteFloodsRetryAfterIsTheRestOfTheMinuteRoundedUp() {
    long start = System.currentTimeMillis();
    HttpResponse<Buffer> refused = null;
    for (int n = 1; n <= 8; n++) {
      for (int i = 0; i < 2; i++) {
        assertEquals("SMS_CODE_EXPIRED", Api.errorCode(submit("2001:db8:4e:" + n + "::1")), "/64 number " + n);
      }
    }
    for (int n = 9; n < 12; n++) {
      refused = submit("2001:db8:4e:" + n + "::1");
      assertEquals("RATE_LIMITED", Api.errorCode(refused), "/64 number " + n);
    }
    // the oldest of the site's hits is no older than the start: at least the rest of the minute is left,
    // and Retry-After rounds the milliseconds up
    long atLeast = (60_000 - (System.currentTimeMillis() - start) + 999) / 1000;
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry >= atLeast && retry <= 60, "Retry-After " + retry + ", at least " + atLeast);
    assertEquals("SMS_CODE_EXPIRED", Api.errorCode(submit("198.51.100.49")), "an IPv4 client has no site tier");
  }

  /**
   * On standalone the code's per-IP limit is counted inside its one script (lua/sms_code_whole.lua), the
   * site tier too: a wrong captcha still counts (the limit comes before the captcha), 2 per /64, 16 per /48.
   */
  @Test
  void theSiteTierHoldsForCodesCountedInsideTheCodeScriptToo() {
    for (int i = 0; i < 2; i++) {
      assertEquals("CAPTCHA_INVALID", Api.errorCode(askCode("2001:db8:4c:1::1")));
    }
    for (int i = 0; i < 3; i++) {
      HttpResponse<Buffer> r = askCode("2001:db8:4c:1::2");
      assertEquals(429, r.statusCode(), "the /64's own limit");
    }
    for (int n = 2; n <= 8; n++) {
      for (int i = 0; i < 2; i++) {
        assertEquals("CAPTCHA_INVALID", Api.errorCode(askCode("2001:db8:4c:" + n + "::1")), "/64 number " + n);
      }
    }
    HttpResponse<Buffer> ninth = askCode("2001:db8:4c:9::1");
    assertEquals(429, ninth.statusCode(), "the site's limit");
    assertEquals("RATE_LIMITED", Api.errorCode(ninth));
    long retry = Long.parseLong(ninth.getHeader("Retry-After"));
    assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
    assertEquals("CAPTCHA_INVALID", Api.errorCode(askCode("2001:db8:4d:1::1")), "another site");
  }

  private static HttpResponse<Buffer> askCode(String ip) {
    return app.api().as(ip).postJson("/api/v1/sms-codes", new JsonObject().put("phone", org.yzt.testing.Numbers.fresh())
        .put("captchaId", "AAAAAAAAAAAAAAAAAAAAAA").put("captchaCode", "ABCD"));
  }

  private static HttpResponse<Buffer> submit(String ip) {
    return app.api().as(ip).submit(org.yzt.testing.Numbers.fresh(), "12345X", "123456");
  }
}
