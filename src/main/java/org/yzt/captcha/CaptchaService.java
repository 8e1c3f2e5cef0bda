package org.yzt.captcha;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Base64;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.yzt.AppContext;
import org.yzt.common.ErrorCode;
import org.yzt.common.Failures;
import org.yzt.common.Ids;
import org.yzt.common.PersonalData;
import org.yzt.common.RedisKeys;

/**
 * Issues and verifies image captchas (SPEC §2.1).
 *
 * <p>Redis holds, under {@code yzt:cap:<captchaId>} and for {@code captcha.ttlSeconds}, only the
 * keyed hash of the uppercased answer: neither the key name nor the value shows the answer. A
 * verification takes the entry with one {@code GETDEL}, so the first attempt consumes the captcha
 * whether it is right or wrong, and two concurrent attempts cannot both see it.
 *
 * <p>{@link #issue()} draws the image on the calling thread when that thread may block (the
 * captcha verticle is a worker), and on a worker thread when called from an event loop.
 */
public final class CaptchaService {
  /** Longer answers are not hashed, only refused (they still consume the captcha). */
  static final int MAX_ANSWER_CHARS = 16;
  private static final String HASH_PURPOSE = "captcha";
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final Vertx vertx;
  private final Redis redis;
  private final PersonalData personalData;
  private final RedisKeys keys;
  private final CaptchaConfig config;
  private final long redisTimeoutMs;
  private final Counter issued;
  private final Counter verifiedOk;
  private final Counter verifiedInvalid;

  public CaptchaService(AppContext ctx) {
    this(ctx.vertx, ctx.redis, ctx.personalData, ctx.keys, CaptchaConfig.from(ctx.config), ctx.redisTimeoutMs(), ctx.metrics);
  }

  public CaptchaService(Vertx vertx, Redis redis, PersonalData personalData, RedisKeys keys, CaptchaConfig config,
      long redisTimeoutMs, MeterRegistry metrics) {
    this.vertx = vertx;
    this.redis = redis;
    this.personalData = personalData;
    this.keys = keys;
    this.config = config;
    this.redisTimeoutMs = redisTimeoutMs;
    this.issued = metrics == null ? null : Counter.builder("yzt.captcha.issued")
        .description("captchas issued").register(metrics);
    this.verifiedOk = metrics == null ? null : Counter.builder("yzt.captcha.verified")
        .description("captcha verifications").tag("result", "ok").register(metrics);
    this.verifiedInvalid = metrics == null ? null : Counter.builder("yzt.captcha.verified")
        .description("captcha verifications").tag("result", "invalid").register(metrics);
  }

  public CaptchaConfig config() {
    return config;
  }

  /**
   * A new captcha: {@code {"captchaId", "image": "data:image/png;base64,…", "expiresInSeconds"}}.
   * Fails when Redis does not store it in time.
   */
  public Future<JsonObject> issue() {
    String answer = config.fixed() ? config.fixedAnswer() : CaptchaImage.randomAnswer();
    // in fixed mode the image shows the fixed answer when it can be drawn; otherwise random characters
    String shown = CaptchaImage.canRender(answer) ? answer : CaptchaImage.randomAnswer();
    return render(shown).compose(png -> {
      String id = Ids.random128();
      Request set = Request.cmd(Command.SET)
          .arg(keys.captcha(id))
          .arg(personalData.secretHash(HASH_PURPOSE, answer.toUpperCase(Locale.ROOT)))
          .arg("EX").arg(config.ttlSeconds());
      return redis.send(set)
          .timeout(redisTimeoutMs, TimeUnit.MILLISECONDS)
          .map(ok -> {
            count(issued);
            return new JsonObject()
                .put("captchaId", id)
                .put("image", "data:image/png;base64," + B64.encodeToString(png))
                .put("expiresInSeconds", config.ttlSeconds());
          });
    });
  }

  /**
   * Succeeds when {@code answer} (case-insensitive, surrounding spaces ignored) is the answer of the
   * live captcha {@code captchaId}; the captcha is consumed in any case. Wrong, unknown, expired or
   * used captchas, and malformed ids or answers, fail with {@link ErrorCode#CAPTCHA_INVALID}; Redis
   * errors and timeouts fail as they are (the caller answers 503).
   */
  public Future<Void> verify(String captchaId, String answer) {
    if (!Ids.looksLikeId(captchaId)) {
      // never issued by us: nothing to consume, no need to ask Redis
      return invalid();
    }
    return redis.send(Request.cmd(Command.GETDEL).arg(keys.captcha(captchaId)))
        .timeout(redisTimeoutMs, TimeUnit.MILLISECONDS)
        .compose(stored -> matches(stored, answer) ? ok() : invalid());
  }

  private boolean matches(Response stored, String answer) {
    if (stored == null || answer == null) {
      return false;
    }
    String normalised = answer.trim().toUpperCase(Locale.ROOT);
    if (normalised.isEmpty() || normalised.length() > MAX_ANSWER_CHARS) {
      return false;
    }
    return PersonalData.constantTimeEquals(stored.toString(), personalData.secretHash(HASH_PURPOSE, normalised));
  }

  private Future<byte[]> render(String text) {
    if (Context.isOnEventLoopThread()) {
      return vertx.executeBlocking(() -> CaptchaImage.png(text), false);
    }
    try {
      return Future.succeededFuture(CaptchaImage.png(text));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private Future<Void> ok() {
    count(verifiedOk);
    return Future.succeededFuture();
  }

  private Future<Void> invalid() {
    count(verifiedInvalid);
    return Failures.fail(ErrorCode.CAPTCHA_INVALID);
  }

  private static void count(Counter c) {
    if (c != null) {
      c.increment();
    }
  }
}
