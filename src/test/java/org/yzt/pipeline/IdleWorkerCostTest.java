package org.yzt.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.Wait;

/**
 * An idle pipeline worker on standalone Redis reads every job stream in one blocking command (issue 23):
 * its Redis background is a read per idle turn (100 ms), not one per shard (16), which was most of an
 * idle node's Redis CPU (bench/README.md). Counted from INFO commandstats, not timed; and a job submitted
 * to an idle worker is still picked up.
 */
class IdleWorkerCostTest {
  private static final Pattern XREADGROUP = Pattern.compile("cmdstat_xreadgroup:calls=(\\d+)");

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension();

  private static long reads() {
    Matcher m = XREADGROUP.matcher(app.redis().cli("INFO", "commandstats"));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }

  @Test
  void anIdleWorkerReadsEveryShardInOneCommand() {
    // past each worker's first turn, shard by shard (16 reads each), which finds them all empty
    Wait.await(10_000, "the workers idle", () -> reads() >= 40);
    long before = reads();
    long t = System.nanoTime();
    // two worker instances: idle, each reads about ten times a second (one shard after the other: 160)
    Wait.await(10_000, "twenty idle reads", () -> reads() - before >= 20);
    double seconds = (System.nanoTime() - t) / 1e9;
    assertTrue(seconds >= 0.5, "twenty job stream reads while idle took only " + seconds + " s");

    Api api = app.api();
    String phone = Numbers.fresh();
    HttpResponse<Buffer> accepted = api.submit(phone, "12345X", api.codeFor(phone));
    assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
    String queryId = accepted.bodyAsJsonObject().getString("queryId");
    Wait.await(20_000, "the job done", () -> "DONE".equals(
        api.get("/api/v1/queries/" + queryId).bodyAsJsonObject().getString("status")));
  }
}
