package org.yzt.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.common.RedisScript;
import org.yzt.config.Limit;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.RateLimitAcquire;
import org.yzt.runtime.AppContext;

/**
 * Per-client-IP limits of SPEC §5 ({@code limits.perIp.<bucket>}): at most {@code max} requests in a
 * sliding window of {@code windowSeconds}, counted atomically in Redis by one script (a hit log of the
 * last {@code max} hit times per client: lua/rate_limit.lua on lua/lib/hit_log.lua).
 */
public final class SlidingWindowLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(SlidingWindowLimiter.class);
  private final AppContext ctx;
  private final RedisScript script;
  private final Map<String, Limit> limits;

  public SlidingWindowLimiter(AppContext ctx, RedisScript script) {
    this.ctx = ctx;
    this.script = script;
    // "queries" is counted inside the submission script (one round trip); it is here for other callers
    this.limits = Map.of(
        "captcha", Limit.of(ctx.config, "captcha"),
        "smsCodes", Limit.of(ctx.config, "smsCodes"),
        "queries", Limit.of(ctx.config, "queries"));
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
    return script.run(List.of(ctx.keys.rateLimit(bucket, client)),
            List.of(Long.toString(limit.windowMs()), Integer.toString(limit.max()),
                RedisScript.millisText(System.currentTimeMillis())))
        .compose(r -> outcome(r, bucket, client, requestId));
  }

  private Future<JsonObject> outcome(Response r, String bucket, String client, String requestId) {
    if (r.get(0).toInteger() == 1) {
      return Future.succeededFuture(new RateLimitAcquire.Reply(true, r.get(1).toLong()).toJson());
    }
    long retryMs = r.get(1).toLong();
    LOG.atWarn().addKeyValue("requestId", requestId == null ? "-" : requestId)
        .addKeyValue("event", "security.rate_limited").addKeyValue("bucket", bucket).addKeyValue("client", client)
        .log("security: per-IP limit {} hit", bucket);
    return Future.failedFuture(Failures.retryAfter(ErrorCode.RATE_LIMITED, (retryMs + 999) / 1000));
  }
}
