package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yzt.frontdoor.PipelineFixtures;
import org.yzt.runtime.AppContext;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * A node's start-up checks (the shard layout, the legacy stream, the consumer groups) have their own
 * deadline ({@link AppContext#STARTUP_REDIS_MS}), not one request's {@code redis.commandTimeoutMs}: a
 * Redis slow to answer the first commands of a fresh process (a busy machine, a first connect) delays
 * the start but does not refuse it. Seen before: {@code cannot deploy: Timeout 600 (ms) fired}.
 */
class StartupDeadlineTest {
  @Test
  void aRedisSlowerThanTheCommandTimeoutAtStartDelaysTheDeployButDoesNotRefuseIt() {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject config = TestService.config(redis, PipelineFixtures.pipelineRoles()
          .put("redis", new JsonObject().put("commandTimeoutMs", 300)));
      // every command of the start is held 2.5 s: eight times one command's bound, well inside the
      // start's; longer than the service takes to reach its first command, so one surely is held
      assertEquals("OK", redis.cli("CLIENT", "PAUSE", "2500", "ALL").trim());
      long t0 = System.nanoTime();
      try (TestService service = TestService.start(config)) {
        long tookMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("started in " + tookMs + " ms with Redis held 2.5 s");
        assertTrue(tookMs >= 2_000, "the start waited for the held commands (" + tookMs + " ms)");
        assertTrue(service.context().deployed.get(), "deployed");
      }
    }
  }
}
