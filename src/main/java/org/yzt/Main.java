package org.yzt;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.cli.Cli;
import org.yzt.config.RedisConfig;
import org.yzt.config.ConfigLoader;
import org.yzt.config.HttpConfig;
import org.yzt.config.Logging;
import org.yzt.config.NodeConfig;
import org.yzt.config.ProdGuard;
import org.yzt.embedded.EmbeddedRedis;
import org.yzt.embedded.RedisSelection;
import org.yzt.runtime.AppContext;
import org.yzt.runtime.Roles;
import org.yzt.tracing.Tracing;

/**
 * {@code java -jar target/yzt.jar [-cluster] [-conf FILE]} (commands and options: {@link Cli}): reads the configuration once, refuses
 * a prod configuration left with dev defaults, builds Vert.x (clustered when asked), deploys this
 * node's verticles, and on SIGTERM closes Vert.x so that requests in flight finish and unfinished
 * jobs stay in Redis for the next start.
 */
public final class Main {
  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    Cli.Parsed parsed = Cli.parse(args, System.getenv(), System.out, System.err);
    if (!parsed.serve()) {
      Logging.stop();
      System.exit(parsed.exitStatus());
    }
    try {
      Running running = start(parsed.confFile(), parsed.cluster(), System.getenv());
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        LOG.info("stopping: no new requests; requests in flight finish; unfinished jobs stay in Redis");
        running.stop();
        Logging.stop();
      }, "yzt-shutdown"));
    } catch (StartupRefused e) {
      fatal(e.getMessage());
    }
  }

  /** A started node: its Vert.x, shared context, and the embedded Redis it started (or null). */
  public record Running(Vertx vertx, AppContext context, EmbeddedRedis embeddedRedis, App app) {
    /**
     * Undeploys (the gateway first: requests in flight finish; the pipeline hands its jobs back), closes
     * Vert.x, then the embedded Redis.
     */
    public void stop() {
      try {
        app.undeploy().transform(ar -> vertx.close()).await(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        LOG.warn("stop did not finish cleanly: {}", e.getClass().getSimpleName());
      }
      Tracing tracing = context.sharedIfPresent(Tracing.class);
      if (tracing != null) {
        tracing.close(); // the spans still queued go out
      }
      if (embeddedRedis != null) {
        embeddedRedis.close();
      }
    }
  }

  /** Thrown with a one-line reason when the node must not start. */
  public static final class StartupRefused extends RuntimeException {
    public StartupRefused(String reason) {
      super(reason, null, false, false);
    }
  }

  public static Running start(String confFile, boolean cluster, Map<String, String> env) {
    Vertx bootstrap = Vertx.vertx();
    JsonObject config;
    JsonObject defaults;
    try {
      config = ConfigLoader.load(bootstrap, confFile, env).await(30, TimeUnit.SECONDS);
      defaults = ConfigLoader.load(bootstrap, null, Map.of()).await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new StartupRefused("cannot read configuration: " + e.getMessage());
    } finally {
      bootstrap.close();
    }
    Logging.apply(config);
    try {
      RedisConfig.from(config);
    } catch (IllegalArgumentException e) {
      throw new StartupRefused(e.getMessage());
    }
    List<String> problems = ProdGuard.problems(config, defaults, cluster);
    if (!problems.isEmpty()) {
      throw new StartupRefused("refusing to start in prod: " + String.join("; ", problems));
    }
    RedisSelection.Chosen redis;
    try {
      redis = RedisSelection.choose(config, env);
    } catch (IllegalStateException e) {
      throw new StartupRefused(e.getMessage());
    }
    try {
      Running running = start(redis.config(), cluster);
      return new Running(running.vertx(), running.context(), redis.embedded(), running.app());
    } catch (StartupRefused e) {
      if (redis.embedded() != null) {
        redis.embedded().close();
      }
      throw e;
    }
  }

  /** Starts a node on a complete configuration as given (its Redis is used as configured). */
  public static Running start(JsonObject config, boolean cluster) {
    return start(config, cluster, Clock.systemUTC());
  }

  /** {@link #start(JsonObject, boolean)} with the node's wall clock given (tests move their own). */
  public static Running start(JsonObject config, boolean cluster, Clock clock) {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    VertxOptions options = new VertxOptions()
        // Vert.x's HTTP client and HTTP server meters are off: every outbound call is already counted
        // and timed per peer by our own (yzt_enterprise_*, yzt_sms_messages_total), every API request
        // per route and outcome (yzt_api_*), and their per-request tag look-ups (five per request) cost
        // more CPU than the signature on an outbound request (bench/README.md: code choices)
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
            .setDisabledMetricsCategories(Set.of(MetricsDomain.HTTP_CLIENT.toCategory(), MetricsDomain.HTTP_SERVER.toCategory())));
    options.setEventLoopPoolSize(eventLoops(config));
    Tracing tracing;
    try {
      tracing = Tracing.from(config);
    } catch (IllegalArgumentException e) {
      throw new StartupRefused(e.getMessage());
    }
    tracing.configure(options);
    Vertx vertx;
    ClusterManager clusterManager = null;
    Set<String> roles;
    try {
      roles = Roles.of(config);
    } catch (IllegalArgumentException e) {
      throw new StartupRefused(e.getMessage());
    }
    try {
      if (cluster) {
        ClusterSetup.eventBus(options.getEventBusOptions(), config); // before the builder takes the options
      }
      VertxBuilder builder = tracing.configure(Vertx.builder()
          .with(options)
          .withMetrics(new MicrometerMetricsFactory(registry)));
      if (cluster) {
        clusterManager = ClusterSetup.clusterManager(config);
        builder.withClusterManager(clusterManager);
        vertx = builder.buildClustered().await(60, TimeUnit.SECONDS);
      } else {
        vertx = builder.build();
      }
    } catch (Exception e) {
      throw new StartupRefused("cannot start Vert.x: " + e.getMessage());
    }
    AppContext ctx = new AppContext(vertx, config, registry, roles, clusterManager, clock);
    ctx.shared(Tracing.class, () -> tracing);
    App app = new App(ctx);
    try {
      app.deploy().await(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new StartupRefused("cannot deploy: " + e.getMessage());
    }
    LOG.info("yzt started: profile {}, http port {}, transport {}, {} event loops", config.getString("profile"),
        HttpConfig.from(config).port(),
        vertx.isNativeTransportEnabled() ? "epoll" : "nio", options.getEventLoopPoolSize());
    return new Running(vertx, ctx, null, app);
  }

  /**
   * {@code node.eventLoops}, 0 meaning one per core. Nothing here blocks an event loop (Vert.x's
   * default of two per core hedges against code that does), and with more loops than cores a message
   * between verticles more often crosses to another thread and wakes it: a system call each time.
   */
  static int eventLoops(JsonObject config) {
    int eventLoops = NodeConfig.from(config).eventLoops();
    return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
  }

  private static void fatal(String reason) {
    LOG.error(reason);
    Logging.stop();
    System.exit(2);
  }
}
