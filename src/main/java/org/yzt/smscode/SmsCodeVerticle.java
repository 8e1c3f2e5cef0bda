package org.yzt.smscode;

import org.yzt.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.bus.Replies;
import org.yzt.contract.SmsCodeSend;
import org.yzt.runtime.AppContext;

/**
 * {@code yzt.smscode.send} ({@link SmsCodeSend}: messages and failures), by {@link SmsCodeService}, and on
 * standalone and Sentinel {@code yzt.smscode.sendChecked} (the per-IP limit, the captcha and the code in one
 * script), by {@link WholeCodeStep}; on a Redis Cluster {@code yzt.smscode.sendInSlot} (the limit and the
 * captcha in one script, then the code's), by {@link ClientSlotCodeStep}.
 */
public final class SmsCodeVerticle extends VerticleBase {
  private final AppContext ctx;

  public SmsCodeVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    SmsCodeService service = new SmsCodeService(ctx);
    Future<?> started = service.warm().compose(v -> vertx.eventBus().<Object>consumer(SmsCodeSend.ADDRESS,
            Replies.handleAny(body -> service.send(SmsCodeSend.Request.of(body)).map(SmsCodeSend.Reply::toJson)))
        .completion());
    if (RedisConfig.from(ctx.config).type() == RedisConfig.Type.CLUSTER) {
      // keys of one script share a slot there: the client's limit and its captcha in one, when they can
      ClientSlotCodeStep inSlot = new ClientSlotCodeStep(ctx, service);
      return started.compose(v -> inSlot.warm()).compose(v -> vertx.eventBus().<Object>consumer(
              SmsCodeSend.Checked.IN_SLOT_ADDRESS,
              Replies.handleAny(body -> inSlot.send(SmsCodeSend.Checked.of(body)).map(SmsCodeSend.Reply::toJson)))
          .completion());
    }
    WholeCodeStep whole = new WholeCodeStep(ctx, service);
    return started.compose(v -> whole.warm()).compose(v -> vertx.eventBus().<Object>consumer(SmsCodeSend.Checked.ADDRESS,
            Replies.handleAny(body -> whole.send(SmsCodeSend.Checked.of(body)).map(SmsCodeSend.Reply::toJson)))
        .completion());
  }
}
