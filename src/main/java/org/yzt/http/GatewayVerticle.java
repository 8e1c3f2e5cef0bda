package org.yzt.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.Ids;
import org.yzt.config.HttpConfig;
import org.yzt.contract.Addresses;
import org.yzt.contract.EnterpriseCircuits;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.FrontDoorClient;
import org.yzt.runtime.AppContext;

/**
 * The HTTP face of a node. With the "gateway" role: the API, the page and /dev/sms; on every node:
 * {@code /health}, {@code /ready} and {@code /metrics} on {@code http.port}, or, when
 * {@code http.opsPort} is set, {@code /ready} and {@code /metrics} only on that port (bound to
 * {@code http.opsHost}) and {@code /health} on both. A node without the gateway role and with an ops
 * port has no public port at all.
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";

  private final AppContext ctx;
  private HttpServer server;
  private HttpServer opsServer;

  public GatewayVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    HttpConfig http = HttpConfig.from(ctx.config);
    int opsPort = http.opsPort();
    boolean gateway = ctx.roles.contains("gateway");
    Future<?> ops = Future.succeededFuture();
    if (opsPort > 0) {
      Router opsRouter = Router.router(vertx);
      opsRouter.route().handler(this::commonHeaders);
      mountOperations(opsRouter, true);
      errorHandlers(opsRouter);
      // health checks and scrapes are not traced: they would start a trace every few seconds per node
      ops = listen(opsRouter, http.opsHost(), opsPort, TracingPolicy.IGNORE).onSuccess(s -> opsServer = s);
      if (!gateway) {
        return ops;
      }
    }
    Router router = Router.router(vertx);
    router.route().handler(this::commonHeaders);
    // with an ops port the public port keeps /health only: /ready and /metrics answer 404 there
    mountOperations(router, opsPort <= 0);
    if (gateway) {
      new ApiRoutes(ctx).mount(router);
      new PageRoutes(ctx).mount(router);
      // a StaticHandler on a "/prefix/*" route serves the path below the prefix, hence its own root
      router.get("/assets/*").handler(StaticHandler.create("webroot/assets")
          .setDirectoryListing(false).setIncludeHidden(false).setCachingEnabled(false));
    }
    errorHandlers(router);
    return ops.compose(v -> listen(router, http.host(), http.port(), TracingPolicy.ALWAYS))
        .onSuccess(s -> server = s);
  }

  private void errorHandlers(Router router) {
    router.errorHandler(404, rc -> HttpErrors.send(rc, ErrorCode.NOT_FOUND));
    router.errorHandler(405, rc -> HttpErrors.send(rc, ErrorCode.METHOD_NOT_ALLOWED));
    router.errorHandler(413, rc -> HttpErrors.send(rc, ErrorCode.PAYLOAD_TOO_LARGE));
    router.errorHandler(400, rc -> HttpErrors.send(rc, ErrorCode.INVALID_JSON));
    router.errorHandler(415, rc -> HttpErrors.send(rc, ErrorCode.UNSUPPORTED_MEDIA_TYPE));
    router.errorHandler(500, this::internalError);
  }

  private Future<HttpServer> listen(Router router, String host, int port, TracingPolicy tracing) {
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(host)
            .setTracingPolicy(tracing)
            .setMaxInitialLineLength(4096)
            .setMaxHeaderSize(16 * 1024)
            .setIdleTimeout(60)
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setCompressionSupported(true)
            // no WebSocket is served: without WebSocket compression Netty's extension handler leaves
            // the pipeline, which every request and response went through (bench/README.md: code choices)
            .setPerFrameWebSocketCompressionSupported(false)
            .setPerMessageWebSocketCompressionSupported(false))
        .requestHandler(router)
        .listen(port);
  }

  @Override
  public Future<?> stop() {
    // shutdown() stops accepting and lets requests in flight finish before closing connections
    Future<Void> ops = opsServer == null ? Future.succeededFuture() : opsServer.shutdown(10, TimeUnit.SECONDS);
    return server == null ? ops : Future.join(ops, server.shutdown(10, TimeUnit.SECONDS));
  }

  // names and values made once as ASCII byte strings: written to every response without encoding them again
  private static final CharSequence X_REQUEST_ID = HttpHeaders.createOptimized("X-Request-Id");
  private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence X_CONTENT_TYPE_OPTIONS = HttpHeaders.createOptimized("X-Content-Type-Options");
  private static final CharSequence NOSNIFF = HttpHeaders.createOptimized("nosniff");
  private static final CharSequence REFERRER_POLICY = HttpHeaders.createOptimized("Referrer-Policy");
  private static final CharSequence NO_REFERRER = HttpHeaders.createOptimized("no-referrer");
  private static final CharSequence X_FRAME_OPTIONS = HttpHeaders.createOptimized("X-Frame-Options");
  private static final CharSequence DENY = HttpHeaders.createOptimized("DENY");
  private static final CharSequence CONTENT_SECURITY_POLICY = HttpHeaders.createOptimized("Content-Security-Policy");
  private static final CharSequence CSP_VALUE = HttpHeaders.createOptimized(CSP);

  private void commonHeaders(RoutingContext rc) {
    String requestId = Ids.requestId();
    rc.put(ApiRoutes.REQUEST_ID, requestId);
    rc.response().headers()
        .set(X_REQUEST_ID, requestId)
        .set(CACHE_CONTROL, NO_STORE)
        .set(X_CONTENT_TYPE_OPTIONS, NOSNIFF)
        .set(REFERRER_POLICY, NO_REFERRER)
        .set(X_FRAME_OPTIONS, DENY)
        .set(CONTENT_SECURITY_POLICY, CSP_VALUE);
    rc.next();
  }

  /** {@code /health} always; {@code /ready} and {@code /metrics} when {@code readyAndMetrics}. */
  private void mountOperations(Router router, boolean readyAndMetrics) {
    router.get("/health").handler(rc -> ApiRoutes.json(rc, 200, new JsonObject().put("status", "UP")));
    // node-local: each node answers its own ping, so the check says this node's event bus works
    if (!readyAndMetrics) {
      return;
    }
    vertx.eventBus().<Object>localConsumer(Addresses.HEALTH_PING, msg -> msg.reply("pong"));
    HealthChecks ready = HealthChecks.create(vertx);
    ready.register("redis", 1000, this::redisCheck);
    ready.register("verticles", 1000, p -> p.complete(ctx.deployed.get() ? Status.OK() : Status.KO()));
    ready.register("eventbus", 1000, this::eventBusCheck);
    // data only: an open circuit is tolerated by the pipeline, so it never makes the node unready
    ready.register("enterprises", 1000, this::enterprisesCheck);
    router.get("/ready").handler(HealthCheckHandler.createWithHealthChecks(ready));
    if (ctx.metrics instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
  }

  private void redisCheck(Promise<Status> p) {
    ctx.redis.send(Request.cmd(Command.PING))
        .timeout(900, TimeUnit.MILLISECONDS)
        .onSuccess(r -> p.tryComplete(Status.OK()))
        .onFailure(e -> p.tryComplete(Status.KO()));
  }

  /** Up when this node's event bus delivers a local message and, when clustered, the cluster manager is active. */
  private void eventBusCheck(Promise<Status> p) {
    JsonObject data = new JsonObject().put("clustered", vertx.isClustered());
    boolean clusterOk = true;
    if (vertx.isClustered() && ctx.clusterManager != null) {
      clusterOk = ctx.clusterManager.isActive();
      try {
        data.put("members", ctx.clusterManager.getNodes().size());
      } catch (RuntimeException e) {
        clusterOk = false;
      }
    }
    boolean clusterActive = clusterOk;
    vertx.eventBus().request(Addresses.HEALTH_PING, "ping", new DeliveryOptions().setLocalOnly(true).setSendTimeout(900))
        .onSuccess(r -> p.tryComplete(clusterActive ? Status.OK(data) : Status.KO(data)))
        .onFailure(e -> p.tryComplete(Status.KO(data)));
  }

  /**
   * Each enterprise's circuit state ({@code CLOSED}, {@code HALF_OPEN}, {@code OPEN}): this node's
   * connectors when it runs them, else those of a node that does (asked over the event bus). Always
   * UP: the pipeline retries an enterprise whose circuit is open, and the other enterprises go on.
   */
  private void enterprisesCheck(Promise<Status> p) {
    EnterpriseCircuits.Source local = ctx.sharedIfPresent(EnterpriseCircuits.Source.class);
    if (local != null) {
      p.tryComplete(Status.OK(circuitData(local.circuits(), "this node")));
      return;
    }
    new FrontDoorClient(vertx).circuits(800)
        .onSuccess(reply -> p.tryComplete(Status.OK(circuitData(reply.circuits(), "an enterprise node"))))
        .onFailure(e -> p.tryComplete(Status.OK(new JsonObject().put("source", "none")
            .put("note", "no enterprise connector answered"))));
  }

  private static JsonObject circuitData(JsonObject circuits, String source) {
    int open = 0;
    for (String id : circuits.fieldNames()) {
      if (!"CLOSED".equals(circuits.getString(id))) {
        open++;
      }
    }
    return new JsonObject().put("source", source).put("notClosed", open).put("circuits", circuits);
  }

  private void internalError(RoutingContext rc) {
    Throwable t = rc.failure();
    if (t != null) {
      LOG.error("unhandled failure on {} {}: {}", rc.request().method(), rc.normalizedPath(), t.getClass().getName(), t);
    }
    HttpErrors.send(rc, ErrorCode.INTERNAL_ERROR);
  }
}
