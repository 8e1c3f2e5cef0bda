package org.yzt.sim;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
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
    Router router = Router.router(vertx);
    router.route().handler(BodyHandler.create(false).setBodyLimit(64 * 1024));
    new SmsSimulator(ctx).mount(router, vertx);
    new CarrierSimulator(ctx).mount(router, vertx);
    new EnterpriseSimulator(ctx).mount(router, vertx);
    int port = ctx.section("simulators").getInteger("port", 18181);
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1"))
        .requestHandler(router)
        .listen(port)
        .onSuccess(s -> server = s);
  }

  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
