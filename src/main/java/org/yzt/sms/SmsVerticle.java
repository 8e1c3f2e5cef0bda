package org.yzt.sms;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.yzt.config.HttpClientConfig;
import org.yzt.bus.Replies;
import org.yzt.config.SmsConfig;
import org.yzt.contract.SmsSend;
import org.yzt.runtime.AppContext;

/**
 * {@code yzt.sms.send} ({@link SmsSend}: messages and failures), by {@link SmsSender}. All instances
 * share one gateway client.
 */
public final class SmsVerticle extends VerticleBase {
  private final AppContext ctx;
  private SmsSender sender;
  private MessageConsumer<Object> consumer;

  public SmsVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    SmsConfig config = SmsConfig.from(ctx.section("sms"));
    SmsGatewayClient gateway = ctx.shared(SmsGatewayClient.class, () -> new SmsGatewayClient(ctx.vertx, config,
        HttpClientConfig.from(ctx.config), ctx.clock));
    sender = new SmsSender(vertx, gateway, config, ctx.metrics, ctx.clock);
    consumer = vertx.eventBus().consumer(SmsSend.ADDRESS, Replies.handleAny(sender::send));
    return consumer.completion();
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.eventually(() -> {
      if (sender != null) {
        sender.close();
      }
      return Future.succeededFuture();
    });
  }
}
