package org.yzt.pipeline;

import org.yzt.config.PipelineConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yzt.time.Backoff;

/** The retry schedule of SPEC §3: from retryInitialMs, doubling, never longer than retryMaxMs. */
class PipelineConfigTest {
  @Test
  void defaultsAreThoseOfTheSpec() {
    PipelineConfig c = PipelineConfig.from(new JsonObject());
    assertEquals(172_800_000L, c.deadlineMs());
    assertEquals(1_000L, c.retryInitialMs());
    assertEquals(600_000L, c.retryMaxMs());
    assertEquals(3_600_000L, c.smsGraceMs());
  }

  @Test
  void backoffDoublesFromTheFirstDelayAndNeverPassesTheCap() {
    Backoff c = PipelineConfig.from(new JsonObject().put("retryInitialMs", 1000).put("retryMaxMs", 600_000)).backoff();
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      long first = c.delay(1, random);
      long third = c.delay(3, random);
      assertTrue(first >= 800 && first <= 1200, "first retry " + first);
      assertTrue(third >= 3200 && third <= 4800, "third retry " + third);
      for (int attempt : new int[] {11, 30, 1000, Integer.MAX_VALUE}) {
        long d = c.delay(attempt, random);
        // at the cap, less only by the jitter
        assertTrue(d >= 480_000 && d <= 600_000, "retry " + attempt + ": " + d + " ms");
      }
    }
  }
}
