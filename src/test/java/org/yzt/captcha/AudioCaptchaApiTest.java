package org.yzt.captcha;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.ManualClock;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * {@code POST /api/v1/captcha} with {@code {"kind": "audio"}} over HTTP (SPEC §2.1): a WAV data URL,
 * stored and verified like the image (single use, TTL, the same captchaCode; in fixed mode the fixed
 * answer), its own per-IP limit on top of the captcha limit, and the kinds a body may name.
 */
class AudioCaptchaApiTest {
  /** The service's clock: the per-IP window passes without being waited out (its hits are dated by it). */
  static final ManualClock clock = new ManualClock();

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1")))
      .put("captcha", new JsonObject().put("audioPoolSize", 4))
      .put("limits", new JsonObject().put("perIp", new JsonObject()
          .put("audioCaptcha", new JsonObject().put("max", 3).put("windowSeconds", 600))))).withClock(clock);

  @AfterEach
  void realTimeAgain() {
    clock.reset();
  }

  private static HttpResponse<Buffer> captcha(Api api, String contentType, String body) {
    return api.send(HttpMethod.POST, "/api/v1/captcha", contentType, body == null ? null : Buffer.buffer(body), null);
  }

  private static HttpResponse<Buffer> audio(Api api) {
    return captcha(api, "application/json", "{\"kind\":\"audio\"}");
  }

  private static HttpResponse<Buffer> smsCode(Api api, String captchaId, String answer) {
    return api.postJson("/api/v1/sms-codes", new JsonObject().put("phone", Numbers.fresh()).put("captchaId", captchaId)
        .put("captchaCode", answer));
  }

  @Test
  void aSpokenCaptchaIsAWavThatTakesTheFixedAnswerOnceAndExpires() {
    Api api = app.api().as("198.51.100.10");
    HttpResponse<Buffer> r = audio(api);
    assertEquals(201, r.statusCode(), r.bodyAsString());
    JsonObject body = r.bodyAsJsonObject();
    assertEquals(Set.of("captchaId", "audio", "expiresInSeconds"), body.fieldNames());
    assertEquals(120, body.getInteger("expiresInSeconds"));
    String url = body.getString("audio");
    assertTrue(url.startsWith("data:audio/wav;base64,"), url.substring(0, 40));
    byte[] wav = Base64.getDecoder().decode(url.substring("data:audio/wav;base64,".length()));
    ByteBuffer b = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("RIFF", new String(wav, 0, 4));
    assertEquals(1, b.getShort(22), "mono");
    assertEquals(8000, b.getInt(24), "8 kHz");
    assertTrue(b.getShort(34) == 8 || b.getShort(34) == 16, "8- or 16-bit PCM");
    assertTrue(b.getInt(40) / (b.getShort(34) / 8.0) <= 8 * 8000, "at most 8 s");

    String id = body.getString("captchaId");
    long ttl = Long.parseLong(app.redis().cli("TTL", Layout.KEYS.captcha(id)).trim());
    assertTrue(ttl > 100 && ttl <= 120, "the captcha expires after captcha.ttlSeconds: " + ttl);
    // fixed mode (the tests' configuration): the spoken captcha takes captcha.fixedAnswer, lower case too
    assertEquals(202, smsCode(api, id, TestService.CAPTCHA.toLowerCase()).statusCode());
    HttpResponse<Buffer> again = smsCode(api, id, TestService.CAPTCHA);
    assertEquals(400, again.statusCode());
    assertEquals("CAPTCHA_INVALID", Api.errorCode(again), "single use");
  }

  @Test
  void aWrongAnswerConsumesTheSpokenCaptcha() {
    Api api = app.api().as("198.51.100.11");
    String id = audio(api).bodyAsJsonObject().getString("captchaId");
    assertEquals("CAPTCHA_INVALID", Api.errorCode(smsCode(api, id, "123456")));
    assertEquals("CAPTCHA_INVALID", Api.errorCode(smsCode(api, id, TestService.CAPTCHA)));
  }

  @Test
  void theBodyNamesTheKindOrNothing() {
    Api api = app.api().as("198.51.100.12");
    for (String image : new String[] {null, "{}", "{\"kind\":\"image\"}"}) {
      HttpResponse<Buffer> r = captcha(api, image == null ? null : "application/json", image);
      assertEquals(201, r.statusCode(), image + ": " + r.bodyAsString());
      assertEquals(Set.of("captchaId", "image", "expiresInSeconds"), r.bodyAsJsonObject().fieldNames(), image);
    }
    for (String other : new String[] {"{\"kind\":\"video\"}", "{\"kind\":\"AUDIO\"}", "{\"kind\":1}", "{\"kind\":null}"}) {
      HttpResponse<Buffer> r = captcha(api, "application/json", other);
      assertEquals(400, r.statusCode(), other);
      assertEquals("INVALID_FIELD", Api.errorCode(r), other);
    }
    HttpResponse<Buffer> broken = captcha(api, "application/json", "{\"kind\":");
    assertEquals("INVALID_JSON", Api.errorCode(broken));
    HttpResponse<Buffer> text = captcha(api, "text/plain", "audio");
    assertEquals(415, text.statusCode());
    assertEquals("UNSUPPORTED_MEDIA_TYPE", Api.errorCode(text));
  }

  @Test
  void spokenCaptchasHaveTheirOwnPerIpLimit() {
    Api api = app.api().as("198.51.100.13");
    for (int i = 0; i < 3; i++) {
      assertEquals(201, audio(api).statusCode(), "audio captcha " + (i + 1));
    }
    HttpResponse<Buffer> refused = audio(api);
    assertEquals(429, refused.statusCode(), refused.bodyAsString());
    assertEquals("RATE_LIMITED", Api.errorCode(refused));
    long retry = Long.parseLong(refused.getHeader("Retry-After"));
    assertTrue(retry > 500 && retry <= 600, "Retry-After " + retry);
    // the image is still served to that address, and spoken captchas to another
    assertEquals(201, captcha(api, null, null).statusCode());
    assertEquals(201, audio(app.api().as("198.51.100.14")).statusCode());
    // the window slides: 10 s before the first three hits are 600 s old the address is still refused ...
    clock.advance(java.time.Duration.ofSeconds(retry - 10));
    HttpResponse<Buffer> stillRefused = audio(api);
    assertEquals("RATE_LIMITED", Api.errorCode(stillRefused), stillRefused.bodyAsString());
    long left = Long.parseLong(stillRefused.getHeader("Retry-After"));
    assertTrue(left >= 1 && left <= 11, "Retry-After " + left);
    // ... and once they are, served again (three more; the refusals took no slot)
    clock.advance(java.time.Duration.ofSeconds(left + 1));
    for (int i = 0; i < 3; i++) {
      assertEquals(201, audio(api).statusCode(), "audio captcha after the window " + (i + 1));
    }
    assertEquals(429, audio(api).statusCode());
  }
}
