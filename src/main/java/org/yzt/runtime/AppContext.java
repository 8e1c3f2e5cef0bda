package org.yzt.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.redis.client.Redis;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.yzt.privacy.PersonalData;
import org.yzt.store.ClusterMasters;
import org.yzt.store.RedisScript;
import org.yzt.config.RedisConfig;
import org.yzt.store.HashSlots;
import org.yzt.store.RedisKeys;
import org.yzt.store.RedisSetup;
import org.yzt.config.PipelineConfig;
import org.yzt.config.SecurityConfig;

/**
 * What every verticle of one process shares: the configuration, one Redis client (a pool shared
 * by all instances, as the Vert.x notes advise), the personal-data keys and the meter registry.
 */
public final class AppContext {
  public final Vertx vertx;
  public final JsonObject config;
  public final Redis redis;
  public final PersonalData personalData;
  public final RedisKeys keys;
  public final MeterRegistry metrics;
  /** The roles this node takes ({@link Roles#of}). */
  public final Set<String> roles;
  /** The cluster manager this node joined with, or null when it is not clustered. */
  public final ClusterManager clusterManager;
  /**
   * The wall clock every time-deciding read of this node goes through (limit windows, code expiry,
   * pipeline deadlines, park and dead-letter times, SMS delivery deadlines, request signatures): the
   * system clock in production, a clock the test moves in tests that would otherwise wait in real
   * time. Timers (Vert.x, {@link org.yzt.time.Deadlines}) and Redis's own expiry (PX, PEXPIRE) still
   * run on real time: moving this clock does not fire them.
   */
  public final Clock clock;
  private final long redisTimeoutMs;
  private final Map<Class<?>, Object> shared = new ConcurrentHashMap<>();
  /** True once every verticle this node runs is deployed; /ready reports it. */
  public final AtomicBoolean deployed = new AtomicBoolean(false);

  /** A context for a node that is not clustered, with the roles its configuration names. */
  public AppContext(Vertx vertx, JsonObject config, MeterRegistry metrics) {
    this(vertx, config, metrics, Roles.of(config), null);
  }

  public AppContext(Vertx vertx, JsonObject config, MeterRegistry metrics, Set<String> roles, ClusterManager clusterManager) {
    this(vertx, config, metrics, roles, clusterManager, Clock.systemUTC());
  }

  public AppContext(Vertx vertx, JsonObject config, MeterRegistry metrics, Set<String> roles, ClusterManager clusterManager,
      Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.config = config;
    this.metrics = metrics;
    this.roles = Set.copyOf(roles);
    this.clusterManager = clusterManager;
    this.redis = RedisSetup.client(vertx, config, metrics);
    SecurityConfig security = SecurityConfig.from(config);
    this.personalData = new PersonalData(security.dataKey(), security.previousDataKeys());
    this.keys = new RedisKeys(personalData, PipelineConfig.from(section("pipeline")).streamShards());
    this.redisTimeoutMs = RedisConfig.from(config).commandTimeoutMs();
    if (RedisConfig.from(config).type() == RedisConfig.Type.CLUSTER) {
      // scripts are loaded on every master at start, not by a NOSCRIPT and EVAL on each one's first call
      RedisScript.onEveryMaster(redis, shared(ClusterMasters.class, () -> new ClusterMasters(vertx, config, redis)));
      // the table of every slot's tag (a cluster's captcha ids name their slot) made now, off the event loops
      HashSlots.slotTag(0);
    }
  }

  /** One object per process shared by all instances of a verticle (a simulator's state, a client pool). */
  @SuppressWarnings("unchecked")
  public <T> T shared(Class<T> type, Supplier<T> create) {
    return (T) shared.computeIfAbsent(type, t -> create.get());
  }

  /** The shared object of {@code type} when some verticle of this process made one, else null. */
  @SuppressWarnings("unchecked")
  public <T> T sharedIfPresent(Class<T> type) {
    return (T) shared.get(type);
  }

  public JsonObject section(String name) {
    return config.getJsonObject(name, new JsonObject());
  }

  /** Timeout for one Redis command or script. */
  public long redisTimeoutMs() {
    return redisTimeoutMs;
  }

  /**
   * Timeout for a Redis command of a verticle's start-up check (the shard layout, the consumer
   * groups): never less than {@link #STARTUP_REDIS_MS}. The first command of a fresh process also
   * pays for the connection (and HELLO/AUTH/SELECT) on a JVM that is still compiling; nobody waits
   * for its answer but the deploy (which waits a minute), and a node refused for a slow first
   * connect would be restarted only to pay it again. Redis away still fails at once (refused).
   */
  public long startupRedisTimeoutMs() {
    return Math.max(redisTimeoutMs, STARTUP_REDIS_MS);
  }

  /** See {@link #startupRedisTimeoutMs()}. */
  public static final long STARTUP_REDIS_MS = 10_000;
}
