package org.yzt.smscode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.runtime.AppContext;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §9: captcha answers and SMS codes are stored as keyed hashes. The stored value is read from
 * Redis and shown to be neither the plain value nor any plain SHA-256 of it, to change with
 * {@code security.dataKey} (a second service with another key stores another value for the same
 * captcha answer), and to be what the service compares against: a stored value replaced by the plain
 * answer or code no longer matches it.
 *
 * <p>Constant time: the captcha check compares the two keyed hashes with {@code MessageDigest.isEqual}
 * (PersonalData.constantTimeEquals); the code check is {@code code ~= ARGV[1]} inside
 * lua/query_submit.lua, between two keyed digests (Lua interns strings, so that is an identity
 * comparison with no early exit on the secret's bytes). Timing itself is not a test here (timings are
 * benchmarks); what these tests hold is that only keyed digests are ever compared.
 */
class StoredSecretsTest {
  /** Another 32-byte key than the dev default the first service uses. */
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString(
      "another-key-for-stored-secrets!!".getBytes(StandardCharsets.US_ASCII));

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  @RegisterExtension
  static final ServiceExtension otherKey = new ServiceExtension(new JsonObject()
      .put("security", new JsonObject().put("dataKey", OTHER_KEY)));

  private static RedisAPI redis(ServiceExtension s) {
    return RedisAPI.api(s.service().context().redis);
  }

  /** The captcha entry as stored in Redis for a captcha just issued by {@code s}. */
  private static String storedCaptcha(ServiceExtension s, String captchaId) throws Exception {
    Response r = redis(s).get(s.service().context().keys.captcha(captchaId)).await(5, TimeUnit.SECONDS);
    assertNotNull(r, "the captcha is stored");
    return r.toString();
  }

  @Test
  void aCaptchaAnswerIsStoredAsAKeyedHash() throws Exception {
    String answer = TestService.CAPTCHA; // both services draw the fixed answer
    String id = app.api().captchaId();
    String stored = storedCaptcha(app, id);
    assertNotPlain(stored, answer, "captcha");
    // the same answer under another data key is stored as another value: the hash is keyed
    String elsewhere = storedCaptcha(otherKey, otherKey.api().captchaId());
    assertNotEquals(stored, elsewhere, "the stored captcha does not depend on security.dataKey");
    // and it is what the check compares: the right answer passes with the keyed hash in place
    assertEquals(202, app.api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", Numbers.fresh())
        .put("captchaId", id).put("captchaCode", " " + answer.toLowerCase() + " ")).statusCode());
  }

  @Test
  void aCaptchaWhoseStoredValueIsThePlainAnswerDoesNotMatchIt() throws Exception {
    AppContext ctx = app.service().context();
    String id = app.api().captchaId();
    redis(app).set(List.of(ctx.keys.captcha(id), TestService.CAPTCHA, "EX", "120")).await(5, TimeUnit.SECONDS);
    HttpResponse<Buffer> r = app.api().postJson("/api/v1/sms-codes", new JsonObject().put("phone", Numbers.fresh())
        .put("captchaId", id).put("captchaCode", TestService.CAPTCHA));
    assertEquals("CAPTCHA_INVALID", Api.errorCode(r), "a plain stored answer was accepted: " + r.bodyAsString());
  }

  @Test
  void anSmsCodeIsStoredAsAKeyedHashAndOnlyThatMatchesIt() throws Exception {
    AppContext ctx = app.service().context();
    String phone = Numbers.fresh();
    String code = app.api().codeFor(phone);
    String key = ctx.keys.smsCode(ctx.keys.phoneToken(phone));
    Response all = redis(app).hgetall(key).await(5, TimeUnit.SECONDS);
    assertNotNull(all);
    for (String field : all.getKeys()) {
      assertFalse(all.get(field).toString().contains(code), "the code in clear in field " + field);
    }
    String stored = redis(app).hget(key, SmsCodeService.ACCOUNTS_FIELD).await(5, TimeUnit.SECONDS).toString();
    assertNotPlain(stored, code, org.yzt.contract.SmsCodeSend.PURPOSE);
    // another data key would have stored another value for the same code
    assertNotEquals(stored, new org.yzt.privacy.PersonalData(OTHER_KEY).secretHash(org.yzt.contract.SmsCodeSend.PURPOSE, code),
        "the stored code does not depend on security.dataKey");

    // the plain code in its place does not match the code: the script compares keyed digests only
    redis(app).hset(List.of(key, SmsCodeService.ACCOUNTS_FIELD, code)).await(5, TimeUnit.SECONDS);
    HttpResponse<Buffer> plain = app.api().submit(phone, "12345X", code);
    assertEquals("SMS_CODE_INVALID", Api.errorCode(plain), plain.bodyAsString());
    // the keyed hash back: the same code is taken
    redis(app).hset(List.of(key, SmsCodeService.ACCOUNTS_FIELD, stored)).await(5, TimeUnit.SECONDS);
    HttpResponse<Buffer> keyed = app.api().submit(phone, "12345X", code);
    assertEquals(202, keyed.statusCode(), keyed.bodyAsString());
  }

  /** {@code stored} is neither {@code value} nor a plain SHA-256 of it (with or without its purpose), in hex or base64. */
  private static void assertNotPlain(String stored, String value, String purpose) throws Exception {
    assertFalse(stored.contains(value), "the plain value is stored");
    for (String input : Set.of(value, purpose + "\n" + value, purpose + ":" + value)) {
      byte[] sha = MessageDigest.getInstance("SHA-256").digest(input.getBytes(StandardCharsets.UTF_8));
      for (String encoded : Set.of(HexFormat.of().formatHex(sha), Base64.getEncoder().encodeToString(sha),
          Base64.getUrlEncoder().withoutPadding().encodeToString(sha))) {
        assertNotEquals(encoded, stored, "a plain SHA-256 is stored");
      }
    }
  }
}
