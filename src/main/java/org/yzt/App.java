package org.yzt;

import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.captcha.CaptchaVerticle;
import org.yzt.carrier.CarrierVerticle;
import org.yzt.bus.EventBusSetup;
import org.yzt.config.VerticlesConfig;
import org.yzt.contract.Submission;
import org.yzt.enterprise.EnterpriseVerticle;
import org.yzt.http.GatewayVerticle;
import org.yzt.pipeline.PipelineVerticle;
import org.yzt.frontdoor.QueryVerticle;
import org.yzt.ratelimit.RateLimitVerticle;
import org.yzt.runtime.AppContext;
import org.yzt.sim.SimulatorsVerticle;
import org.yzt.sms.SmsVerticle;
import org.yzt.smscode.SmsCodeVerticle;

/**
 * Deploys the verticles that this node's {@code node.roles} name, each with its own
 * {@code verticles.<name>.instances}. Simulators first, the gateway last, so that a gateway that
 * answers always finds the handlers it calls.
 */
public final class App {
  private static final Logger LOG = LoggerFactory.getLogger(App.class);

  /**
   * One deployable verticle: the config name of its instance count ({@code verticles.<name>}), the
   * role that deploys it, how to make an instance, and its threading model.
   */
  record VerticleKind(String name, String role, Function<AppContext, Deployable> factory, ThreadingModel threading) {}

  static final List<VerticleKind> KINDS = List.of(
      new VerticleKind("simulators", "simulators", SimulatorsVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("sms", "sms", SmsVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("carrier", "carrier", CarrierVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("enterprise", "enterprise", EnterpriseVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("ratelimit", "ratelimit", RateLimitVerticle::new, ThreadingModel.EVENT_LOOP),
      // captcha images are CPU work, drawn ahead on worker threads (CaptchaPool): issuing is a Redis SET
      new VerticleKind("captcha", "captcha", CaptchaVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("smscode", "smscode", SmsCodeVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("query", "query", QueryVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("pipeline", "query", PipelineVerticle::new, ThreadingModel.EVENT_LOOP),
      new VerticleKind("gateway", "gateway", GatewayVerticle::new, ThreadingModel.EVENT_LOOP));

  private final AppContext ctx;
  /** Deployment ids by kind, in the order deployed: the gateway last. */
  private final java.util.LinkedHashMap<String, String> deploymentIds = new java.util.LinkedHashMap<>();

  public App(AppContext ctx) {
    this.ctx = ctx;
  }

  public Future<Void> deploy() {
    EventBusSetup.registerCodecs(ctx.vertx);
    Submission.registerCodec(ctx.vertx); // every node: the gateway sends it, the query role receives it
    Set<String> roles = ctx.roles;
    Future<Void> chain = Future.succeededFuture();
    List<String> deployed = new ArrayList<>();
    for (VerticleKind kind : KINDS) {
      boolean wanted = roles.contains(kind.role())
          // a node without the gateway still answers /health, /ready and /metrics
          || ("gateway".equals(kind.role()));
      if (!wanted) {
        continue;
      }
      int instances = VerticlesConfig.from(ctx.config).instances(kind.name());
      if (instances <= 0 && !"gateway".equals(kind.name())) {
        continue; // 0 instances: this node does not run that verticle although its role would
      }
      DeploymentOptions options = new DeploymentOptions().setInstances(Math.max(1, instances)).setThreadingModel(kind.threading());
      chain = chain.compose(v -> ctx.vertx.deployVerticle(() -> kind.factory().apply(ctx), options)
              .onFailure(err -> LOG.error("deploying {} failed: {}", kind.name(), err.getMessage())))
          .map(id -> {
            deploymentIds.put(kind.name(), id);
            deployed.add(kind.name() + "×" + options.getInstances());
            return (Void) null;
          });
    }
    return chain.onSuccess(v -> {
      ctx.deployed.set(true);
      LOG.info("deployed {}", deployed);
    });
  }

  /**
   * Undeploys before Vert.x closes: the gateway (requests in flight finish while the verticles they call
   * are still there) together with the pipeline (which stops taking jobs and hands its own back), then
   * the rest one after the other in the reverse order. Vert.x's own close would stop them all at once,
   * together with the shared Redis client, and a submission Redis had already taken could be answered 503.
   */
  public Future<Void> undeploy() {
    Future<Void> first = Future.join(undeployKind("gateway"), undeployKind("pipeline")).mapEmpty();
    List<String> rest = new ArrayList<>(deploymentIds.keySet());
    java.util.Collections.reverse(rest);
    Future<Void> chain = first;
    for (String kind : rest) {
      chain = chain.compose(v -> undeployKind(kind));
    }
    return chain;
  }

  private Future<Void> undeployKind(String kind) {
    String id = deploymentIds.remove(kind);
    if (id == null) {
      return Future.succeededFuture();
    }
    return ctx.vertx.undeploy(id).recover(err -> {
      LOG.warn("undeploying {} failed: {}", kind, err.getClass().getSimpleName());
      return Future.succeededFuture();
    });
  }
}
