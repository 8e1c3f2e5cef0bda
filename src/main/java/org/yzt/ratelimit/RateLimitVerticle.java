package org.yzt.ratelimit;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.store.RedisScript;
import org.yzt.bus.Replies;
import org.yzt.contract.RateLimitAcquire;
import org.yzt.runtime.AppContext;

/**
 * {@code yzt.ratelimit.acquire}: {"bucket": "captcha"|"audioCaptcha"|"smsCodes"|"queries", "client": ip} →
 * {"allowed": true, "remaining": n}, or 429 RATE_LIMITED with retryAfterSeconds (logged at WARN,
 * {@code event=security.rate_limited}, with the optional {@code requestId} of the message).
 */
public final class RateLimitVerticle extends VerticleBase {
  private final AppContext ctx;

  public RateLimitVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    RedisScript script = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "rate_limit");
    SlidingWindowLimiter limiter = new SlidingWindowLimiter(ctx, script);
    return script.warm().compose(v -> vertx.eventBus().<Object>consumer(RateLimitAcquire.ADDRESS,
            Replies.handleAny(body -> {
              RateLimitAcquire.Request request = RateLimitAcquire.Request.of(body);
              return limiter.acquire(request.bucket(), request.client(), request.requestId());
            }))
        .completion());
  }
}
