package org.yzt.frontdoor;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Map;
import org.yzt.store.RedisScript;
import org.yzt.config.Limit;
import org.yzt.limits.SiteLimit;
import org.yzt.runtime.AppContext;

/**
 * The front door's per-IP step of both query routes (SPEC §2.3, §13: the queries log is shared):
 * lua/query_ip.lua in the slot of the client's token, then the client's IPv6 site (SPEC §2.6); and the
 * wrong-code count against the client's address (lua/code_failure.lua), in the same slot.
 */
final class PerIpStep {
  private final AppContext ctx;
  private final SiteLimit sites;
  private final RedisScript ipScript;
  private final RedisScript failureScript;
  private final int siteBits;

  PerIpStep(AppContext ctx) {
    this.ctx = ctx;
    this.sites = new SiteLimit(ctx, "queries");
    this.ipScript = ipScript(ctx.config, ctx.redis, ctx.redisTimeoutMs());
    this.failureScript = failureScript(ctx.config, ctx.redis, ctx.redisTimeoutMs());
    this.siteBits = ctx.section("http").getInteger("ipv6SitePrefixLength", 48);
  }

  /** Loads the per-IP scripts ahead of the first query. */
  Future<Void> warm() {
    return Future.all(ipScript.warm(), failureScript.warm()).mapEmpty();
  }

  /** lua/query_ip.lua: the per-IP step before the number's, with this node's limits as constants. */
  static RedisScript ipScript(JsonObject config, Redis redis, long timeoutMs) {
    Limit perIp = Limit.of(config, "queries");
    Limit codeFailures = Limit.of(config, "codeFailures");
    return RedisScript.load(redis, timeoutMs, Map.of(
        "IP_WINDOW_MS", perIp.windowMs(), "IP_MAX", (long) perIp.max(),
        "FAIL_WINDOW_MS", codeFailures.windowMs(), "FAIL_MAX", (long) codeFailures.max()), "lib/hit_log", "lib/query_ip",
        "query_ip");
  }

  /** lua/code_failure.lua: a wrong or expired code counted against the client's address. */
  static RedisScript failureScript(JsonObject config, Redis redis, long timeoutMs) {
    Limit codeFailures = Limit.of(config, "codeFailures");
    return RedisScript.load(redis, timeoutMs, Map.of(
        "FAIL_WINDOW_MS", codeFailures.windowMs(), "FAIL_MAX", (long) codeFailures.max()), "lib/hit_log", "code_failure");
  }

  /**
   * lua/query_ip.lua, then, if it let the query through, the client's IPv6 site. Answers the script's
   * reply ({'OK'} or {'RATE_LIMITED', …}); a site refusal fails the future.
   */
  Future<Response> take(String clientIp, String client, long now, String requestId) {
    return ipScript.run(List.of(ctx.keys.queryHitsOf(client), ctx.keys.codeFailuresOf(client)),
            List.of(RedisScript.millisText(now)))
        .compose(ip -> !"OK".equals(ip.get(0).toString()) ? Future.succeededFuture(ip)
            : sites.take(clientIp, now, requestId).map(v -> ip));
  }

  /** lib/query_ip.lua's constants and the site's max: what lua/query_whole.lua adds to the number's step's. */
  static Map<String, Long> wholeConstants(JsonObject config) {
    Limit perIp = Limit.of(config, "queries");
    Limit codeFailures = Limit.of(config, "codeFailures");
    return Map.of("IP_WINDOW_MS", perIp.windowMs(), "IP_MAX", (long) perIp.max(),
        "FAIL_WINDOW_MS", codeFailures.windowMs(), "FAIL_MAX", (long) codeFailures.max(),
        "SITE_MAX", (long) perIp.max() * SiteLimit.SITE_FACTOR);
  }

  /**
   * lua/query_whole.lua's keys before the number's: the client's query log, its wrong-code log and its
   * site's query log (the first again when it has none); {@code siteToken} is the site's keyed token or null.
   */
  List<String> wholeKeys(String client, String siteToken) {
    String hits = ctx.keys.queryHitsOf(client);
    return List.of(hits, ctx.keys.codeFailuresOf(client), siteToken == null ? hits : ctx.keys.queryHitsOf(siteToken));
  }

  /** The keyed token of {@code clientIp}'s IPv6 site (SPEC §2.6), or null for a client without one. */
  String siteToken(String clientIp) {
    String site = SiteLimit.site(clientIp, siteBits);
    return site == null ? null : ctx.keys.clientToken(site);
  }

  /** A wrong or expired code counted against the client's address, in its slot (lua/code_failure.lua). */
  Future<Void> countWrongCode(String client, String now) {
    return failureScript.run(List.of(ctx.keys.codeFailuresOf(client)), List.of(now)).mapEmpty();
  }
}
