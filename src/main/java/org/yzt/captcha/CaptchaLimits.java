package org.yzt.captcha;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.yzt.config.HttpConfig;
import org.yzt.config.Limit;
import org.yzt.contract.CaptchaKind;
import org.yzt.limits.RateLimitRefusal;
import org.yzt.limits.SiteLimit;
import org.yzt.runtime.AppContext;
import org.yzt.store.RedisScript;

/**
 * The per-IP limits of {@code POST /api/v1/captcha} (SPEC §2.1, §2.6: {@code limits.perIp.captcha}, and
 * {@code audioCaptcha} too for a spoken one; each for the client, then for its IPv6 site at
 * {@link SiteLimit#SITE_FACTOR} times the max) counted in the script that stores the captcha
 * (lua/captcha_issue.lua): on standalone and Sentinel a captcha is one round trip instead of the
 * limiter's and the captcha's. The same hit logs, keys and refusals as the limiter's (yzt.ratelimit.acquire).
 * On a Redis Cluster the same, for a client without an IPv6 site: the captcha's id names its limits' slot.
 */
final class CaptchaLimits {
  private static final String[] TIERS = {"client", "site"};

  private final AppContext ctx;
  private final RedisScript script;
  private final Limit captcha;
  private final Limit audio;
  private final int siteBits;

  CaptchaLimits(AppContext ctx) {
    this.ctx = ctx;
    this.script = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "captcha_issue");
    this.captcha = Limit.of(ctx.config, "captcha");
    this.audio = Limit.of(ctx.config, "audioCaptcha");
    this.siteBits = HttpConfig.from(ctx.config).ipv6SitePrefixLength();
  }

  Future<Void> warm() {
    return script.warm();
  }

  /** The limits alone (no captcha ready to store: one is rendered once they let the request through). */
  Future<Void> acquire(CaptchaKind kind, String client, String requestId) {
    return issue(kind, client, requestId, null, "", 0);
  }

  /**
   * Counts the limits of a {@code kind} captcha for {@code client} and, when every one lets it through, stores
   * {@code answerHash} at {@code captchaKey} for {@code ttlSeconds}; fails RATE_LIMITED (Retry-After, the
   * limiter's sampled security line) with nothing stored when one refuses. With no {@code captchaKey}, the
   * limits alone.
   */
  Future<Void> issue(CaptchaKind kind, String client, String requestId, String captchaKey, String answerHash,
      long ttlSeconds) {
    String site = SiteLimit.site(client, siteBits);
    String[] tokens = {ctx.keys.clientToken(client), site == null ? null : ctx.keys.clientToken(site)};
    List<String> buckets = new ArrayList<>(4);
    List<String> tiers = new ArrayList<>(4);
    List<String> keys = new ArrayList<>(5);
    List<String> args = new ArrayList<>(11);
    args.add(RedisScript.millisText(ctx.clock.millis()));
    args.add(answerHash);
    args.add(Long.toString(ttlSeconds));
    for (String bucket : kind == CaptchaKind.AUDIO ? List.of("captcha", "audioCaptcha") : List.of("captcha")) {
      Limit limit = "captcha".equals(bucket) ? captcha : audio;
      for (int t = 0; t < tokens.length; t++) {
        if (tokens[t] != null) {
          buckets.add(bucket);
          tiers.add(TIERS[t]);
          keys.add(ctx.keys.rateLimitOf(bucket, tokens[t]));
          args.add(Long.toString(limit.windowMs()));
          args.add(Integer.toString(t == 0 ? limit.max() : limit.max() * SiteLimit.SITE_FACTOR));
        }
      }
    }
    if (captchaKey != null) {
      keys.add(captchaKey);
    }
    return script.run(keys, args).compose(r -> {
      if ("OK".equals(r.get(0).toString())) {
        return Future.succeededFuture();
      }
      int i = r.get(2).toInteger() - 1;
      String tier = tiers.get(i);
      return RateLimitRefusal.refused(buckets.get(i), tier, tokens["site".equals(tier) ? 1 : 0], r.get(1).toLong(),
          requestId);
    });
  }
}
