package org.yzt.testing;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.yzt.bus.EventBusSetup;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimulatorsVerticle;
import org.yzt.sim.SmsInbox;
import org.yzt.sms.SmsVerticle;

/** Deploys the simulators and the SMS verticle alone (no gateway, no Redis use) for the Sms* tests. */
public final class SmsTestSupport {
  private SmsTestSupport() {}

  /** Simulators, then {@code smsInstances} SmsVerticles (none when 0), on the dev config with free ports. */
  public static AppContext deploy(Vertx vertx, RedisServer redis, JsonObject overrides, int smsInstances) throws Exception {
    return deploy(vertx, redis, overrides, smsInstances, java.time.Clock.systemUTC());
  }

  /** The same on the wall clock {@code clock}. */
  public static AppContext deploy(Vertx vertx, RedisServer redis, JsonObject overrides, int smsInstances,
      java.time.Clock clock) throws Exception {
    EventBusSetup.registerCodecs(vertx);
    JsonObject config = TestService.config(redis, overrides);
    AppContext ctx = new AppContext(vertx, config, new SimpleMeterRegistry(), org.yzt.runtime.Roles.of(config), null, clock);
    Future<String> chain = vertx.deployVerticle(() -> new SimulatorsVerticle(ctx), new DeploymentOptions());
    if (smsInstances > 0) {
      chain = chain.compose(id -> vertx.deployVerticle(() -> new SmsVerticle(ctx),
          new DeploymentOptions().setInstances(smsInstances)));
    }
    chain.await(20, TimeUnit.SECONDS);
    return ctx;
  }

  public static SmsInbox inbox(AppContext ctx) {
    return ctx.shared(SmsInbox.class, () -> SmsInbox.fromConfig(org.yzt.config.SimulatorsConfig.from(ctx.config)));
  }

  /** A random mobile number, so tests sharing one simulator never see each other's texts. */
  public static String phone() {
    return org.yzt.testing.Numbers.fresh("139");
  }

  /** The failure of a future (null when it succeeded), waiting at most {@code seconds}. */
  public static Throwable failure(Future<?> f, long seconds) throws Exception {
    return f.transform(ar -> Future.succeededFuture(ar.failed() ? ar.cause() : null)).await(seconds, TimeUnit.SECONDS);
  }
}
