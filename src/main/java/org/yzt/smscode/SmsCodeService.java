package org.yzt.smscode;

import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.AppContext;
import org.yzt.common.Addresses;
import org.yzt.common.ErrorCode;
import org.yzt.common.Failures;
import org.yzt.common.Ids;
import org.yzt.common.Phone;
import org.yzt.common.RedisScript;

/**
 * One-time codes of SPEC §2.2: the per-number checks (query window, resend cooldown, daily cap) and
 * the new code's hash are one atomic script; then the code is texted. A code that cannot be texted
 * is taken back, so the person is not locked out by a cooldown for a text that never came.
 */
public final class SmsCodeService {
  private static final Logger LOG = LoggerFactory.getLogger(SmsCodeService.class);
  public static final String PURPOSE = "sms-code";

  private final AppContext ctx;
  private final RedisScript issue;
  private final RedisScript undo;
  private final long ttlMs;
  private final long resendMs;
  private final int maxPerDay;
  private final int maxAttempts;
  private final long deliverWithinMs;

  public SmsCodeService(AppContext ctx, RedisScript issue, RedisScript undo) {
    this.ctx = ctx;
    this.issue = issue;
    this.undo = undo;
    JsonObject c = ctx.section("smsCode");
    this.ttlMs = c.getLong("ttlSeconds", 300L) * 1000;
    this.resendMs = c.getLong("resendSeconds", 60L) * 1000;
    this.maxPerDay = c.getInteger("maxPerDay", 5);
    this.maxAttempts = c.getInteger("maxAttempts", 5);
    this.deliverWithinMs = ctx.section("sms").getLong("codeDeliverySeconds", 5L) * 1000;
  }

  /** How long the gateway should wait for {@link #send}: delivery retries plus a margin. */
  public static long replyTimeoutMs(JsonObject config) {
    return config.getJsonObject("sms", new JsonObject()).getLong("codeDeliverySeconds", 5L) * 1000 + 1500;
  }

  public Future<JsonObject> send(String phone, String requestId) {
    if (phone == null || !phone.equals(Phone.normalize(phone))) {
      return Failures.fail(ErrorCode.INVALID_PHONE);
    }
    String token = ctx.keys.phoneToken(phone);
    String code = newCode();
    String codeHash = ctx.personalData.secretHash(PURPOSE, code);
    String member = Ids.hex(8);
    List<String> keys = List.of(ctx.keys.queryWindow(token), ctx.keys.smsCooldown(token),
        ctx.keys.smsDaily(token), ctx.keys.smsCode(token));
    List<String> args = List.of(Long.toString(resendMs), Integer.toString(maxPerDay), Long.toString(86_400_000L),
        codeHash, Long.toString(ttlMs), Integer.toString(maxAttempts), member);
    return issue.run(keys, args).compose(r -> {
      String outcome = r.get(0).toString();
      if (!"OK".equals(outcome)) {
        long retryMs = r.get(1).toLong();
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security." + outcome.toLowerCase(java.util.Locale.ROOT))
            .log("security: sms code refused for {}: {}", Phone.mask(phone), outcome);
        return Future.failedFuture(Failures.retryAfter(ErrorCode.valueOf(outcome), (retryMs + 999) / 1000));
      }
      LOG.atInfo().addKeyValue("requestId", requestId).log("sms code issued for {}", Phone.mask(phone));
      return text(phone, code, requestId)
          .map(v -> new JsonObject()
              .put("expiresInSeconds", ttlMs / 1000)
              .put("resendAfterSeconds", resendMs / 1000))
          .recover(err -> {
            LOG.atWarn().addKeyValue("requestId", requestId)
                .log("sms code for {} could not be texted; taking it back", Phone.mask(phone));
            return undo.run(List.of(ctx.keys.smsCooldown(token), ctx.keys.smsDaily(token), ctx.keys.smsCode(token)),
                    List.of(codeHash, member))
                .transform(ignored -> Failures.fail(ErrorCode.SERVICE_UNAVAILABLE));
          });
    });
  }

  private Future<Void> text(String phone, String code, String requestId) {
    JsonObject msg = new JsonObject()
        .put("messageId", "code-" + Ids.random128())
        .put("to", phone)
        .put("text", codeText(code, ttlMs / 60_000))
        .put("deliverWithinMs", deliverWithinMs)
        .put("requestId", requestId);
    return ctx.vertx.eventBus().request(Addresses.SMS_SEND, msg,
            new DeliveryOptions().setSendTimeout(deliverWithinMs + 1000))
        .mapEmpty();
  }

  /** The code text of SPEC §6. */
  public static String codeText(String code, long minutes) {
    return "【一证通查】您的验证码为" + code + "，" + minutes + "分钟内有效，仅用于互联网账号查询，请勿告知他人。";
  }

  private static String newCode() {
    int n = Ids.random().nextInt(1_000_000);
    return String.format("%06d", n);
  }
}
