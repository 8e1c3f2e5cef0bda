package org.yzt.captcha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.Wait;

/**
 * SPEC §10: a burst of captchas no larger than the pool is served from the images rendered ahead:
 * the pool's ready gauge drops, the on-demand counter does not move, and every image is new.
 * (CaptchaPoolServiceTest covers a burst beyond the pool, which must render on demand.)
 */
class CaptchaBurstFromPoolTest {
  private static final int POOL = 24;
  /** Fewer than half the pool: the pool then refills only once the burst pauses. */
  private static final int BURST = 10;

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("captcha", new JsonObject().put("mode", "image").put("poolSize", POOL)));

  @Test
  void aBurstWithinThePoolIsServedFromItWithoutRenderingOnDemand() throws Exception {
    Wait.await(30_000, "a full pool (yzt_captcha_pool_ready " + POOL + ")", () -> metric("yzt_captcha_pool_ready") == POOL);
    double missesBefore = metric("yzt_captcha_pool_misses_total");

    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < BURST; i++) {
      burst.add(app.service().client().post("/api/v1/captcha").send());
    }
    Set<String> images = new HashSet<>();
    for (Future<HttpResponse<Buffer>> f : burst) {
      HttpResponse<Buffer> r = f.await(20, TimeUnit.SECONDS);
      assertEquals(201, r.statusCode(), r::bodyAsString);
      String image = r.bodyAsJsonObject().getString("image");
      assertTrue(image.startsWith("data:image/png;base64,"), image);
      assertTrue(images.add(image), "an image issued twice");
    }
    double readyAfter = metric("yzt_captcha_pool_ready");
    assertEquals(missesBefore, metric("yzt_captcha_pool_misses_total"), "the burst rendered captchas on demand");
    // read at once: the pool refills only after a pause of the burst, and then with a render per image
    assertTrue(readyAfter < POOL, "the pool gave the images: ready " + readyAfter);
    assertTrue(readyAfter >= POOL - BURST, "ready " + readyAfter);
    // and it fills up again for the next burst
    Wait.await(30_000, "the pool refilled", () -> metric("yzt_captcha_pool_ready") == POOL);
  }

  private static double metric(String name) {
    double v = app.api().metric(name);
    assertTrue(!Double.isNaN(v), () -> name + " not in /metrics");
    return v;
  }
}
