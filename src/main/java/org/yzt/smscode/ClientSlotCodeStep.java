package org.yzt.smscode;

import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import org.yzt.config.CaptchaConfig;
import org.yzt.config.Limit;
import org.yzt.contract.CaptchaVerify;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.SmsCodeSend;
import org.yzt.limits.RateLimitRefusal;
import org.yzt.privacy.Ids;
import org.yzt.runtime.AppContext;
import org.yzt.store.RedisScript;

/**
 * {@code POST /api/v1/sms-codes} on a Redis Cluster for a client without an IPv6 site whose captcha was
 * issued in its limits' slot ({@link SmsCodeSend.Checked#IN_SLOT_ADDRESS}): lua/code_gate.lua counts the
 * client against {@code limits.perIp.smsCodes} and consumes the captcha in one round trip (they were two,
 * and two event-bus hops), then {@link SmsCodeService#send} takes the budgets and the number's step in
 * their slots. SPEC §2.2's order, answers, lines and metrics are those of the separate steps.
 */
final class ClientSlotCodeStep {
  private final AppContext ctx;
  private final SmsCodeService codes;
  private final RedisScript gate;
  private final Counter captchaOk;
  private final Counter captchaInvalid;

  ClientSlotCodeStep(AppContext ctx, SmsCodeService codes) {
    this.ctx = ctx;
    this.codes = codes;
    Limit perIp = Limit.of(ctx.config, "smsCodes");
    this.gate = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(),
        Map.of("IP_WINDOW_MS", perIp.windowMs(), "IP_MAX", (long) perIp.max()), "lib/hit_log", "code_gate");
    this.captchaOk = WholeCodeStep.captchaVerified(ctx, "ok");
    this.captchaInvalid = WholeCodeStep.captchaVerified(ctx, "invalid");
  }

  Future<Void> warm() {
    return gate.warm();
  }

  Future<SmsCodeSend.Reply> send(SmsCodeSend.Checked request) {
    String client = ctx.keys.clientToken(request.client());
    boolean ours = Ids.looksLikeCaptchaId(request.captchaId());
    String answer = CaptchaConfig.normalisedAnswer(request.answer());
    List<String> keys = List.of(ctx.keys.rateLimitOf("smsCodes", client),
        ours ? ctx.keys.captcha(request.captchaId()) : ctx.keys.rateLimitOf("smsCodes", client));
    List<String> args = List.of(RedisScript.millisText(ctx.clock.millis()),
        answer == null ? "" : ctx.personalData.secretHash(CaptchaVerify.HASH_PURPOSE, answer), ours ? "0" : "1");
    String requestId = request.requestId();
    return gate.run(keys, args).compose(r -> {
      String outcome = r.get(0).toString();
      if ("RATE_LIMITED".equals(outcome)) {
        return RateLimitRefusal.refused("smsCodes", "client", client, r.get(1).toLong(), requestId);
      }
      if (!"OK".equals(outcome)) {
        WholeCodeStep.count(captchaInvalid);
        WholeCodeStep.captchaFailed(requestId);
        return Failures.fail(ErrorCode.CAPTCHA_INVALID);
      }
      WholeCodeStep.count(captchaOk);
      return codes.send(new SmsCodeSend.Request(request.phone(), request.purpose(), requestId, client));
    });
  }
}
