package org.yzt.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import org.yzt.config.SimulatorsConfig;
import org.yzt.runtime.AppContext;

/**
 * The dev profile's peers (SPEC §5 {@code simulators.enabled}): carrier, enterprises and SMS
 * gateway as real HTTP endpoints on {@code simulators.port}, verifying signatures like real peers.
 * Each simulator mounts its own routes; their state is shared by all instances of this verticle.
 */
public final class SimulatorsVerticle extends VerticleBase {
  private final AppContext ctx;
  private HttpServer server;

  public SimulatorsVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    SimFaults faults = ctx.shared(SimFaults.class, SimFaults::new);
    SimRoutes routes = new SimRoutes(faults::sawTraceparent);
    new SmsSimulator(ctx).mount(routes, vertx);
    new CarrierSimulator(ctx).mount(routes, vertx);
    new EnterpriseSimulator(ctx).mount(routes, vertx);
    int port = port(ctx.config);
    // the simulated peers stand outside the service: they make no spans of their own, and note which
    // traces reached them (SPEC §11: partners receive traceparent)
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setTracingPolicy(TracingPolicy.IGNORE))
        .requestHandler(routes::handle)
        .listen(port)
        .onSuccess(s -> server = s);
  }

  /** The port the simulators listen on when {@code simulators.enabled}, else 0. */
  private static int port(JsonObject config) {
    SimulatorsConfig sims = SimulatorsConfig.from(config);
    return sims.enabled() ? sims.port() : 0;
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
