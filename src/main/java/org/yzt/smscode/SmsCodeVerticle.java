package org.yzt.smscode;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.yzt.common.Replies;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;

/**
 * {@code yzt.smscode.send}: {"phone": normalised number, "purpose"?: "accounts"|"cards", "requestId"} → {"expiresInSeconds",
 * "resendAfterSeconds"}, or 429 QUERY_LIMIT / SMS_CODE_TOO_FREQUENT / SMS_CODE_DAILY_LIMIT /
 * SMS_BUDGET_EXCEEDED with retryAfterSeconds, or 503 when codes are paused (with retryAfterSeconds)
 * or the code could not be texted; 400 INVALID_FIELD for another purpose.
 */
public final class SmsCodeVerticle extends VerticleBase {
  private final AppContext ctx;

  public SmsCodeVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    SmsCodeService service = new SmsCodeService(ctx);
    return service.warm().compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.SMSCODE_SEND,
            Replies.handle(body -> service.send(body.getString("phone"), body.getString("requestId"), purpose(body))))
        .completion());
  }

  /** The purpose named, null when none is ("accounts"), "" for a value that is not a string (refused). */
  private static String purpose(JsonObject body) {
    Object p = body.getValue("purpose");
    return p == null ? null : p instanceof String s ? s : "";
  }
}
