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
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;

/**
 * The whole service in image mode with a pool of 4 (SPEC §10): every captcha served over HTTP has
 * an image of its own, a burst that empties the pool is still served, and the pool refills.
 */
class CaptchaPoolServiceTest {
  private static final int POOL = 4;

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("captcha", new JsonObject().put("mode", "image").put("poolSize", POOL)
          // the burst below renders 20 on demand at once: above the default bound of in-flight renders,
          // which CaptchaService answers 503 (tested on its own); here every one must be served
          .put("maxRendersInFlight", 32)));

  @Test
  void aBurstBeyondThePoolIsServedWithImagesIssuedOnceAndThePoolRefills() throws Exception {
    Api api = app.api();
    awaitPoolReady(api, POOL);

    // 24 concurrent requests against 4 images ready: the rest are rendered on demand
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      burst.add(app.service().client().post("/api/v1/captcha").send());
    }
    Set<String> ids = new HashSet<>();
    Set<String> images = new HashSet<>();
    for (Future<HttpResponse<Buffer>> f : burst) {
      HttpResponse<Buffer> r = f.await(20, TimeUnit.SECONDS);
      assertEquals(201, r.statusCode(), r::bodyAsString);
      JsonObject c = r.bodyAsJsonObject();
      assertTrue(ids.add(c.getString("captchaId")));
      assertTrue(images.add(c.getString("image")), "an image issued twice");
    }
    assertTrue(metric(api, "yzt_captcha_pool_misses_total") >= 1, "some were rendered on demand");

    awaitPoolReady(api, POOL);
  }

  private static void awaitPoolReady(Api api, int n) {
    double[] ready = {-1};
    org.yzt.testing.Wait.waitUntil(10_000, () -> (ready[0] = metric(api, "yzt_captcha_pool_ready")) == n);
    assertEquals(n, ready[0], "images ready in the pool (/metrics)");
  }

  private static double metric(Api api, String name) {
    double v = api.metric(name);
    assertTrue(!Double.isNaN(v), () -> name + " not in /metrics");
    return v;
  }
}
