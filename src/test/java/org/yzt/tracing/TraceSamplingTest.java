package org.yzt.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.store.JobFields;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.OtlpReceiver;
import org.yzt.testing.ServiceExtension;

/**
 * {@code tracing.sampleRatio} decides at the gateway whether a request is traced: at 0 none is, so
 * the job carries no trace context (the pipeline makes no spans for it), and an out-of-range ratio
 * refuses to start.
 */
class TraceSamplingTest {
  static final OtlpReceiver RECEIVER = OtlpReceiver.start();

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("tracing", new JsonObject().put("otlpEndpoint", RECEIVER.endpoint()).put("sampleRatio", 0.0)));

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  @Test
  void atRatioZeroNoRequestIsTracedAndTheJobCarriesNoTraceContext() {
    String phone = Numbers.fresh();
    Api api = app.api();
    HttpResponse<Buffer> accepted = api.submit(phone, "123456", api.codeFor(phone));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    String fields = app.redis().cli("HKEYS", org.yzt.testing.Layout.job(queryId));
    assertTrue(fields.contains("rid"), "the job is there: " + fields);
    assertTrue(!fields.contains(JobFields.TRACE), "no trace context without a traced request: " + fields);
  }

  @Test
  void aRatioOutsideZeroToOneIsRefused() {
    for (double ratio : new double[] {-0.1, 1.5}) {
      assertThrows(IllegalArgumentException.class, () -> Tracing.from(new JsonObject().put("tracing",
          new JsonObject().put("otlpEndpoint", "http://127.0.0.1:1/v1/traces").put("sampleRatio", ratio))));
    }
  }
}
