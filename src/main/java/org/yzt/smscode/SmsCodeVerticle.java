package org.yzt.smscode;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.yzt.bus.Replies;
import org.yzt.contract.SmsCodeSend;
import org.yzt.runtime.AppContext;

/** {@code yzt.smscode.send} ({@link SmsCodeSend}: messages and failures), by {@link SmsCodeService}. */
public final class SmsCodeVerticle extends VerticleBase {
  private final AppContext ctx;

  public SmsCodeVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    SmsCodeService service = new SmsCodeService(ctx);
    return service.warm().compose(v -> vertx.eventBus().<Object>consumer(SmsCodeSend.ADDRESS,
            Replies.handleAny(body -> service.send(SmsCodeSend.Request.of(body)).map(SmsCodeSend.Reply::toJson)))
        .completion());
  }
}
