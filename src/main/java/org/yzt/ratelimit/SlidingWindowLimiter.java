package org.yzt.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.store.RedisScript;
import org.yzt.privacy.SecurityLog;
import org.yzt.config.HttpConfig;
import org.yzt.config.Limit;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.RateLimitAcquire;
import org.yzt.limits.SiteLimit;
import org.yzt.runtime.AppContext;

/**
 * Per-client-IP limits of SPEC §5 ({@code limits.perIp.<bucket>}): at most {@code max} requests in a
 * sliding window of {@code windowSeconds}, counted atomically in Redis by one script (a hit log of the
 * last {@code max} hit times per client: lua/rate_limit.lua on lua/lib/hit_log.lua).
 *
 * <p>An IPv6 client (named by its /64) is counted a second time by its site (SPEC §2.6,
 * {@code http.ipv6SitePrefixLength}, a /48: 65,536 /64s, so rotating /64s would escape every per-IP
 * limit): all clients of one site together get {@link SiteLimit#SITE_FACTOR} times {@code max}. The /64 is
 * checked first; only what it let through counts toward the site; {@code Retry-After} comes from
 * the tier that refused.
 */
public final class SlidingWindowLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(SlidingWindowLimiter.class);

  private final AppContext ctx;
  private final RedisScript script;
  private final Map<String, Limit> limits;
  private final int sitePrefixBits;

  public SlidingWindowLimiter(AppContext ctx, RedisScript script) {
    this.ctx = ctx;
    this.script = script;
    // "queries" is counted inside the submission script (one round trip); it is here for other callers
    this.limits = Map.of(
        "captcha", Limit.of(ctx.config, "captcha"),
        "audioCaptcha", Limit.of(ctx.config, "audioCaptcha"),
        "smsCodes", Limit.of(ctx.config, "smsCodes"),
        "queries", Limit.of(ctx.config, "queries"));
    this.sitePrefixBits = HttpConfig.from(ctx.config).ipv6SitePrefixLength();
    if (sitePrefixBits < 1 || sitePrefixBits > 128) {
      throw new IllegalArgumentException("http.ipv6SitePrefixLength must be 1 to 128");
    }
  }

  /** Counts one request of {@code client} against {@code bucket}; fails RATE_LIMITED with Retry-After. */
  public Future<JsonObject> acquire(String bucket, String client) {
    return acquire(bucket, client, null);
  }

  /** The same, naming the request in the security log line when the limit refuses it. */
  public Future<JsonObject> acquire(String bucket, String client, String requestId) {
    Limit limit = limits.get(bucket);
    if (limit == null || client == null || client.isEmpty() || client.length() > 64) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    String site = SiteLimit.site(client, sitePrefixBits);
    return hit(bucket, client, limit.max(), limit.windowMs(), requestId, "client").compose(mine -> site == null
        ? Future.succeededFuture(mine)
        : hit(bucket, site, limit.max() * SiteLimit.SITE_FACTOR, limit.windowMs(), requestId, "site")
            .map(theirs -> mine.put("remaining", Math.min(mine.getLong("remaining"), theirs.getLong("remaining")))));
  }

  /** One hit of {@code who} (a client or a site) against {@code max} in the window. */
  private Future<JsonObject> hit(String bucket, String who, int max, long windowMs, String requestId, String tier) {
    return script.run(List.of(ctx.keys.rateLimit(bucket, who)),
            List.of(Long.toString(windowMs), Integer.toString(max), RedisScript.millisText(ctx.clock.millis())))
        .compose(r -> outcome(r, bucket, who, requestId, tier));
  }

  private Future<JsonObject> outcome(Response r, String bucket, String who, String requestId, String tier) {
    if (r.get(0).toInteger() == 1) {
      return Future.succeededFuture(new RateLimitAcquire.Reply(true, r.get(1).toLong()).toJson());
    }
    long retryMs = r.get(1).toLong();
    // the keyed client token names the client, never its address (SPEC §9); sampled (SPEC §10)
    String token = ctx.keys.clientToken(who);
    long count = SecurityLog.shared().admit("security.rate_limited", token, bucket + "/" + tier);
    if (count > 0) {
      LOG.atWarn().addKeyValue("requestId", requestId == null ? "-" : requestId)
          .addKeyValue("event", "security.rate_limited").addKeyValue("bucket", bucket).addKeyValue("tier", tier)
          .addKeyValue("client", token).addKeyValue("count", count)
          .log("security: per-IP limit {} hit ({}), {} refusals", bucket, tier, count);
    }
    return Future.failedFuture(Failures.retryAfter(ErrorCode.RATE_LIMITED, (retryMs + 999) / 1000));
  }
}
