package org.yzt.captcha;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
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
import org.yzt.privacy.Ids;
import org.yzt.privacy.PersonalData;
import org.yzt.store.RedisKeys;
import org.yzt.config.CaptchaConfig;
import org.yzt.config.RedisConfig;
import org.yzt.contract.CaptchaIssue;
import org.yzt.contract.CaptchaKind;
import org.yzt.contract.CaptchaVerify;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;

/**
 * Issues and verifies captchas (SPEC §2.1): images, and spoken ones ({@link SpokenCaptcha}) for people
 * who cannot read them; both are stored, expire and are verified alike.
 *
 * <p>Redis holds, under {@code yzt:cap:<captchaId>} and for {@code captcha.ttlSeconds}, only the
 * keyed hash of the uppercased answer: neither the key name nor the value shows the answer. A
 * verification takes the entry with one {@code GETDEL}, so the first attempt consumes the captcha
 * whether it is right or wrong, and two concurrent attempts cannot both see it.
 *
 * <p>{@link #issue()} takes a captcha from the node's {@link CaptchaPool} (images and answer
 * hashes made ahead on worker threads, each handed out once), so issuing costs one Redis
 * {@code SET} on the caller's thread; an empty pool renders on a worker.
 */
public final class CaptchaService {
  private static final String HASH_PURPOSE = CaptchaVerify.HASH_PURPOSE;
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final Redis redis;
  private final PersonalData personalData;
  private final RedisKeys keys;
  private final CaptchaConfig config;
  private final long redisTimeoutMs;
  /** A Redis Cluster: each id names the slot of its captcha's key (see the constructor). */
  private final boolean slotIds;
  private final Counter issued;
  private final Counter verifiedOk;
  private final Counter verifiedInvalid;
  private final CaptchaPool<Drawn> pool;
  private final CaptchaPool<Drawn> audioPool;

  /** The pools of this process, shared by every captcha verticle instance. */
  record Pools(CaptchaPool<Drawn> image, CaptchaPool<Drawn> audio) {}

  /** One captcha made ahead: its picture or sound as a data URL and the keyed hash of its answer. */
  record Drawn(String answerHash, String image) {
    @Override
    public String toString() {
      return "Drawn[…]"; // the hash stays out of logs like the answer
    }
  }

  /** The service of this process: every captcha verticle instance shares one pool. */
  public CaptchaService(AppContext ctx) {
    this(ctx, CaptchaConfig.from(ctx.config));
  }

  private CaptchaService(AppContext ctx, CaptchaConfig config) {
    this(ctx.redis, ctx.personalData, ctx.keys, config, ctx.redisTimeoutMs(), ctx.metrics,
        sharedPools(ctx, config), RedisConfig.from(ctx.config).type() == RedisConfig.Type.CLUSTER);
  }

  /**
   * {@code slotIds}: on a Redis Cluster, ids that name the slot of their client's per-IP logs
   * ({@link RedisKeys#captchaId}); elsewhere the 22-character ids of before, which a node of an older
   * version checks too (one Redis holds every slot there: nothing to gain).
   */
  public CaptchaService(Redis redis, PersonalData personalData, RedisKeys keys, CaptchaConfig config,
      long redisTimeoutMs, MeterRegistry metrics, Pools pools, boolean slotIds) {
    this.slotIds = slotIds;
    this.pool = pools.image();
    this.audioPool = pools.audio();
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
   * A new image captcha: {@code {"captchaId", "image": "data:image/png;base64,…", "expiresInSeconds"}}.
   * Fails when Redis does not store it in time.
   */
  public Future<JsonObject> issue() {
    return issue(CaptchaKind.IMAGE);
  }

  /** A new captcha of {@code kind}; a spoken one answers {@code "audio": "data:audio/wav;base64,…"}. */
  public Future<JsonObject> issue(CaptchaKind kind) {
    return issue(kind, (String) null);
  }

  /** A new captcha id: in the slot of {@code clientToken}'s limits on a Redis Cluster (any slot when null). */
  private String newId(String clientToken) {
    return slotIds ? RedisKeys.captchaId(clientToken) : Ids.random128();
  }

  /** {@link #issue(CaptchaKind)} with its id in the slot of {@code clientToken}'s limits (null: any slot). */
  private Future<JsonObject> issue(CaptchaKind kind, String clientToken) {
    return (kind == CaptchaKind.AUDIO ? audioPool : pool).take().compose(drawn -> {
      String id = newId(clientToken);
      Request set = Request.cmd(Command.SET)
          .arg(keys.captcha(id))
          .arg(drawn.answerHash())
          .arg("EX").arg(config.ttlSeconds());
      return redis.send(set)
          .timeout(redisTimeoutMs, TimeUnit.MILLISECONDS)
          .map(ok -> {
            count(issued);
            return new CaptchaIssue.Reply(id, kind, drawn.image(), config.ttlSeconds()).toJson();
          });
    });
  }

  /**
   * A new captcha of {@code kind} for {@code client}, its per-IP limits counted in the script that stores it
   * ({@link CaptchaLimits}: standalone and Sentinel, one round trip). A request the limits refuse gives its
   * image back to the pool unseen; with none ready, the limits go first on their own, so that nothing is
   * rendered for a request they refuse.
   */
  Future<JsonObject> issue(CaptchaKind kind, CaptchaLimits limits, String client, String requestId) {
    CaptchaPool<Drawn> from = kind == CaptchaKind.AUDIO ? audioPool : pool;
    Drawn drawn = from.poll();
    if (drawn == null) {
      return limits.acquire(kind, client, requestId)
          .compose(v -> issue(kind, slotIds ? keys.clientToken(client) : null));
    }
    String id = newId(slotIds ? keys.clientToken(client) : null);
    return limits.issue(kind, client, requestId, keys.captcha(id), drawn.answerHash(), config.ttlSeconds())
        .timeout(redisTimeoutMs, TimeUnit.MILLISECONDS)
        .onFailure(err -> {
          if (Failures.codeOf(err) == ErrorCode.RATE_LIMITED) {
            from.giveBack(drawn); // nothing stored, nothing shown
          }
        })
        .map(ok -> {
          count(issued);
          return new CaptchaIssue.Reply(id, kind, drawn.image(), config.ttlSeconds()).toJson();
        });
  }

  private static Pools sharedPools(AppContext ctx, CaptchaConfig config) {
    int maxOnDemand = config.maxRendersInFlight();
    return ctx.shared(Pools.class, () -> newPools(ctx.vertx, config, ctx.personalData, ctx.metrics, maxOnDemand));
  }

  /**
   * Started pools of {@code captcha.poolSize} images and {@code captcha.audioPoolSize} spoken
   * captchas for this configuration, each refilled by up to half the cores (at least one) so that
   * the event loops keep CPU during a burst.
   */
  public static Pools newPools(Vertx vertx, CaptchaConfig config, PersonalData personalData, MeterRegistry metrics) {
    return newPools(vertx, config, personalData, metrics, Integer.MAX_VALUE);
  }

  /**
   * The same, each pool with at most {@code maxOnDemand} renders of an empty pool in flight (beyond
   * them: 503, Retry-After 1; {@code captcha.maxRendersInFlight}).
   */
  public static Pools newPools(Vertx vertx, CaptchaConfig config, PersonalData personalData, MeterRegistry metrics,
      int maxOnDemand) {
    int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    return new Pools(
        new CaptchaPool<>(vertx, config.poolSize(), threads, maxOnDemand, () -> draw(config, personalData), metrics,
            "yzt.captcha.pool").start(),
        new CaptchaPool<>(vertx, config.audioPoolSize(), threads, maxOnDemand, () -> say(config, personalData), metrics,
            "yzt.captcha.audio.pool").start());
  }

  /** Draws one captcha (CPU work: a worker thread's job). */
  static Drawn draw(CaptchaConfig config, PersonalData personalData) {
    String answer = config.fixed() ? config.fixedAnswer() : CaptchaImage.randomAnswer();
    // in fixed mode the image shows the fixed answer when it can be drawn; otherwise random characters
    String shown = CaptchaImage.canRender(answer) ? answer : CaptchaImage.randomAnswer();
    return new Drawn(personalData.secretHash(HASH_PURPOSE, answer.toUpperCase(Locale.ROOT)),
        "data:image/png;base64," + B64.encodeToString(CaptchaImage.png(shown)));
  }

  /** Mixes one spoken captcha (CPU work: a worker thread's job). */
  static Drawn say(CaptchaConfig config, PersonalData personalData) {
    String answer = config.fixed() ? config.fixedAnswer() : SpokenCaptcha.randomAnswer();
    // in fixed mode the fixed answer is said when it is digits; otherwise random digits
    String said = SpokenCaptcha.canSay(answer) ? answer : SpokenCaptcha.randomAnswer();
    return new Drawn(personalData.secretHash(HASH_PURPOSE, answer.toUpperCase(Locale.ROOT)),
        "data:audio/wav;base64," + B64.encodeToString(SpokenCaptcha.wav(said)));
  }

  /**
   * Succeeds when {@code answer} (case-insensitive, surrounding spaces ignored) is the answer of the
   * live captcha {@code captchaId}; the captcha is consumed in any case. Wrong, unknown, expired or
   * used captchas, and malformed ids or answers, fail with {@link ErrorCode#CAPTCHA_INVALID}; Redis
   * errors and timeouts fail as they are (the caller answers 503).
   */
  public Future<Void> verify(String captchaId, String answer) {
    if (!Ids.looksLikeCaptchaId(captchaId)) {
      // never issued by us: nothing to consume, no need to ask Redis
      return invalid();
    }
    return redis.send(Request.cmd(Command.GETDEL).arg(keys.captcha(captchaId)))
        .timeout(redisTimeoutMs, TimeUnit.MILLISECONDS)
        .compose(stored -> matches(stored, answer) ? ok() : invalid());
  }

  private boolean matches(Response stored, String answer) {
    String normalised = CaptchaConfig.normalisedAnswer(answer);
    if (stored == null || normalised == null) {
      return false;
    }
    return PersonalData.constantTimeEquals(stored.toString(), personalData.secretHash(HASH_PURPOSE, normalised));
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
