package org.yzt.testing;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole service on a Redis Cluster or behind sentinels ({@link RedisClusterSet}, {@link
 * RedisSentinelSet}), both started once per test class and stopped after it, as {@link ServiceExtension}
 * does for one Redis: {@code @RegisterExtension static final RedisSetExtension<RedisClusterSet> app =
 * RedisSetExtension.cluster();}
 */
public final class RedisSetExtension<S extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {
  private final Supplier<S> start;
  private final Function<S, JsonObject> config;
  private S redis;
  private TestService service;

  private RedisSetExtension(Supplier<S> start, Function<S, JsonObject> config) {
    this.start = start;
    this.config = config;
  }

  /** On a three-master cluster, configured by {@link RedisClusterSet#serviceConfig}. */
  public static RedisSetExtension<RedisClusterSet> cluster() {
    return new RedisSetExtension<>(RedisClusterSet::start, c -> c.serviceConfig(new JsonObject()));
  }

  /** On a three-master cluster, configured by {@link RedisClusterSet#serviceConfig} with {@code more}. */
  public static RedisSetExtension<RedisClusterSet> cluster(JsonObject more) {
    return new RedisSetExtension<>(RedisClusterSet::start, c -> c.serviceConfig(more));
  }

  /** Behind three sentinels, configured by {@link RedisSentinelSet#serviceConfig} with {@code more}. */
  public static RedisSetExtension<RedisSentinelSet> sentinel(JsonObject more) {
    return new RedisSetExtension<>(RedisSentinelSet::start, s -> s.serviceConfig(more));
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = start.get();
    service = TestService.start(config.apply(redis));
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** The cluster or the sentinel set. */
  public S redis() {
    return redis;
  }

  public TestService service() {
    return service;
  }

  public Api api() {
    return new Api(service);
  }
}
