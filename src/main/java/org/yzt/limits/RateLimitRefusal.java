package org.yzt.limits;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.privacy.SecurityLog;

/**
 * How a per-IP limit's refusal is answered and logged, wherever the hit was counted (the limiter's own
 * script, or a script that counts it with other work, as a captcha issued in one script on standalone).
 */
public final class RateLimitRefusal {
  // the limiter's logger whoever refuses, so that one filter finds every refusal on any deployment
  private static final Logger LOG = LoggerFactory.getLogger("org.yzt.ratelimit.SlidingWindowLimiter");

  private RateLimitRefusal() {}

  /**
   * A refusal of {@code bucket}'s limit by {@code tier} ("client" or "site"): 429 RATE_LIMITED with
   * Retry-After, and a sampled security line (SPEC §10) naming the keyed token of the tier that refused,
   * never its address (SPEC §9).
   */
  public static <T> Future<T> refused(String bucket, String tier, String token, long retryMs, String requestId) {
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
