package org.yzt.testing;

import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The whole service against a private Redis, started once per test class and stopped after it:
 * {@code @RegisterExtension static final ServiceExtension app = new ServiceExtension(overrides);}
 */
public final class ServiceExtension implements BeforeAllCallback, AfterAllCallback {
  private final Function<RedisServer, JsonObject> config;
  private RedisServer redis;
  private boolean appendOnly;
  private java.time.Clock clock = java.time.Clock.systemUTC();
  private TestService service;

  /** The dev defaults of {@link TestService#config} with {@code overrides} deep-merged. */
  public ServiceExtension(JsonObject overrides) {
    this(redis -> TestService.config(redis, overrides));
  }

  public ServiceExtension() {
    this(new JsonObject());
  }

  /** A configuration made from the private Redis, for tests that shape it further. */
  public ServiceExtension(Function<RedisServer, JsonObject> config) {
    this.config = config;
  }

  /** Redis with its append-only file on ({@link RedisServer#startNewWithAof}), for restart tests. */
  public ServiceExtension withAof() {
    appendOnly = true;
    return this;
  }

  /** The service on {@code clock} (a {@link ManualClock} the test moves) instead of the system clock. */
  public ServiceExtension withClock(java.time.Clock clock) {
    this.clock = clock;
    return this;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    redis = appendOnly ? RedisServer.startNewWithAof() : RedisServer.startNew();
    service = TestService.start(config.apply(redis), clock);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  public RedisServer redis() {
    return redis;
  }

  public TestService service() {
    return service;
  }

  /** A client of the public API (its own X-Forwarded-For only with {@link Api#as}). */
  public Api api() {
    return new Api(service);
  }
}
