package org.yzt.limits;

import io.netty.util.NetUtil;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.store.RedisScript;
import org.yzt.privacy.SecurityLog;
import org.yzt.config.HttpConfig;
import org.yzt.config.Limit;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;

/**
 * The IPv6 site tier (SPEC §2.6) of a per-IP limit whose /64 is counted by another script (the
 * submission's per-IP step, lua/query_ip.lua): taken in a round trip of its own once the /64 let the
 * request through, so that only what the /64 let through counts toward the site. An IPv4 client has
 * no site: no round trip.
 */
public final class SiteLimit {
  private static final Logger LOG = LoggerFactory.getLogger(SiteLimit.class);
  /** A site gets this many times a client's {@code max}. */
  public static final int SITE_FACTOR = 8;

  private final AppContext ctx;
  private final String bucket;
  private final Limit limit;
  private final int siteBits;
  private final RedisScript take;

  public SiteLimit(AppContext ctx, String bucket) {
    this.ctx = ctx;
    this.bucket = bucket;
    this.limit = Limit.of(ctx.config, bucket);
    this.siteBits = HttpConfig.from(ctx.config).ipv6SitePrefixLength();
    this.take = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "rate_limit");
  }

  /**
   * The site of an IPv6 client named {@code "<prefix>/<bits>"} ({@code 2001:db8:1::/48} for
   * {@code 2001:db8:1:2::/64}); null for an IPv4 client, or when the client's prefix is not longer
   * than the site's.
   */
  public static String site(String client, int siteBits) {
    int slash = client.indexOf('/');
    if (slash < 0) {
      return null;
    }
    byte[] address = NetUtil.createByteArrayFromIpAddressString(client.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(client.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (address == null || address.length != 16 || bits <= siteBits) {
      return null;
    }
    byte[] masked = new byte[16];
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, siteBits - i * 8));
      masked[i] = (byte) (address[i] & (0xFF << (8 - keep)));
    }
    return NetUtil.bytesToIpAddress(masked) + "/" + siteBits;
  }

  /** Counts one request of {@code client}'s site at {@code nowMs}, or fails {@code RATE_LIMITED} with the site's Retry-After. */
  public Future<Void> take(String client, long nowMs, String requestId) {
    String site = site(client, siteBits);
    if (site == null) {
      return Future.succeededFuture();
    }
    String token = ctx.keys.clientToken(site);
    String key = ctx.keys.rateLimitOf(bucket, token);
    String at = RedisScript.millisText(nowMs);
    return take.run(List.of(key), List.of(Long.toString(limit.windowMs()),
            Integer.toString(limit.max() * SITE_FACTOR), at))
        .compose(r -> {
          if (r.get(0).toInteger() == 1) {
            return Future.succeededFuture();
          }
          long count = SecurityLog.shared().admit("security.rate_limited", token, bucket + "/site");
          if (count > 0) {
            LOG.atWarn().addKeyValue("requestId", requestId == null ? "-" : requestId)
                .addKeyValue("event", "security.rate_limited").addKeyValue("bucket", bucket).addKeyValue("tier", "site")
                .addKeyValue("client", token).addKeyValue("count", count)
                .log("security: per-IP limit {} hit (site), {} refusals", bucket, count);
          }
          return Future.failedFuture(Failures.retryAfter(ErrorCode.RATE_LIMITED, (r.get(1).toLong() + 999) / 1000));
        });
  }
}
