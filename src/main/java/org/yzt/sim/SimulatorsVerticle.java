package org.yzt.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import org.yzt.AppContext;

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
    SimRoutes routes = new SimRoutes();
    new SmsSimulator(ctx).mount(routes, vertx);
    new CarrierSimulator(ctx).mount(routes, vertx);
    new EnterpriseSimulator(ctx).mount(routes, vertx);
    int port = ctx.section("simulators").getInteger("port", 18181);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(routes::handle)
        .listen(port)
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
