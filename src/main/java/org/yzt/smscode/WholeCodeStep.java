package org.yzt.smscode;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.limits.SiteLimit;
import org.yzt.privacy.Ids;
import org.yzt.store.RedisScript;
import org.yzt.config.CaptchaConfig;
import org.yzt.config.Limit;
import org.yzt.contract.CaptchaVerify;
import org.yzt.contract.ErrorCode;
import org.yzt.limits.RateLimitRefusal;
import org.yzt.contract.Failures;
import org.yzt.contract.SmsCodeSend;
import org.yzt.runtime.AppContext;

/**
 * {@code POST /api/v1/sms-codes} in one round trip on standalone and Sentinel, where one Redis holds every
 * slot ({@link SmsCodeSend.Checked}): lua/sms_code_whole.lua counts the client (and its IPv6 site)
 * against {@code limits.perIp.smsCodes}, consumes the captcha, checks the number, takes the send
 * budgets and stores the code, in SPEC §2.2's order. A Redis Cluster keeps the steps of one slot each
 * (the limiter, the captcha, then {@link SmsCodeService#send}). The lines, metrics and answers of a
 * refusal are those of the separate steps.
 */
final class WholeCodeStep {
  // a failed captcha's line under the captcha verticle's logger, as the separate step logs it (one filter finds it anywhere);
  // a per-IP refusal is RateLimitRefusal's, under the limiter's
  private static final Logger CAPTCHA_LOG = LoggerFactory.getLogger("org.yzt.captcha.CaptchaVerticle");

  private final AppContext ctx;
  private final SmsCodeService codes;
  private final RedisScript script;
  private final int siteBits;
  private final Counter captchaOk;
  private final Counter captchaInvalid;

  WholeCodeStep(AppContext ctx, SmsCodeService codes) {
    this.ctx = ctx;
    this.codes = codes;
    Limit perIp = Limit.of(ctx.config, "smsCodes");
    Map<String, Long> constants = new HashMap<>(codes.codeConstants());
    constants.putAll(codes.budgetConstants());
    constants.put("IP_WINDOW_MS", perIp.windowMs());
    constants.put("IP_MAX", (long) perIp.max());
    constants.put("SITE_MAX", (long) perIp.max() * SiteLimit.SITE_FACTOR);
    this.script = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), constants,
        "lib/hit_log", "lib/sms_code", "lib/sms_budget", "sms_code_whole");
    this.siteBits = ctx.section("http").getInteger("ipv6SitePrefixLength", 48);
    this.captchaOk = captchaVerified(ctx, "ok");
    this.captchaInvalid = captchaVerified(ctx, "invalid");
  }

  /** The captcha service's counter (the same meter: a verification is one whichever node checks it), or null. */
  static Counter captchaVerified(AppContext ctx, String result) {
    return ctx.metrics == null ? null : Counter.builder("yzt.captcha.verified")
        .description("captcha verifications").tag("result", result).register(ctx.metrics);
  }

  /** A failed captcha's line, under the captcha verticle's logger as the separate step logs it. */
  static void captchaFailed(String requestId) {
    CAPTCHA_LOG.atWarn().addKeyValue("requestId", requestId == null ? "-" : requestId)
        .addKeyValue("event", "security.captcha_invalid").log("security: captcha failed");
  }

  Future<Void> warm() {
    return script.warm();
  }

  Future<SmsCodeSend.Reply> send(SmsCodeSend.Checked request) {
    SmsCodeService.Draft d = codes.draft(request.phone().digits(), request.purpose());
    String client = ctx.keys.clientToken(request.client());
    String site = SiteLimit.site(request.client(), siteBits);
    String siteToken = site == null ? null : ctx.keys.clientToken(site);
    boolean ours = request.captchaId() != null && Ids.looksLikeCaptchaId(request.captchaId());
    String answer = CaptchaConfig.normalisedAnswer(request.answer());
    List<String> keys = new ArrayList<>(10);
    keys.add(ctx.keys.rateLimitOf("smsCodes", client));
    keys.add(siteToken == null ? keys.get(0) : ctx.keys.rateLimitOf("smsCodes", siteToken));
    keys.add(ctx.keys.captcha(ours ? request.captchaId() : "-"));
    keys.addAll(d.numberKeys());
    keys.addAll(d.budgetKeys());
    List<String> args = List.of(d.now(), siteToken == null ? "0" : "1",
        answer == null ? "" : ctx.personalData.secretHash(CaptchaVerify.HASH_PURPOSE, answer), ours ? "0" : "1",
        d.codeHash(), d.field(), d.otherField(), d.member());
    String requestId = request.requestId();
    return script.run(keys, args).compose(r -> {
      String outcome = r.get(0).toString();
      switch (outcome) {
        case "OK":
          count(captchaOk);
          return codes.issued(d, requestId);
        case "RATE_LIMITED":
          return RateLimitRefusal.refused("smsCodes", r.get(2).toString(),
              "site".equals(r.get(2).toString()) ? siteToken : client, r.get(1).toLong(), requestId);
        case "CAPTCHA_INVALID":
          count(captchaInvalid);
          captchaFailed(requestId);
          return Failures.fail(ErrorCode.CAPTCHA_INVALID);
        default:
          count(captchaOk); // refusals after the captcha: it was right
          return codes.refused(outcome, r, d.phone(), requestId, client);
      }
    });
  }

  static void count(Counter c) {
    if (c != null) {
      c.increment();
    }
  }
}
