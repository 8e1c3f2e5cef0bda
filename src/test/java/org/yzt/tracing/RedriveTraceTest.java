package org.yzt.tracing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.cli.Cli;
import org.yzt.store.JobFields;
import org.yzt.runtime.AppContext;
import org.yzt.testing.Numbers;
import org.yzt.testing.OtlpReceiver.ReceivedSpan;
import org.yzt.testing.OtlpReceiver;
import org.yzt.testing.RedisServer;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * SPEC §11: a redriven dead letter starts a new trace linked to its first run's. A job whose stored
 * state no step knows is dead-lettered, keeping the trace context of the request that submitted it;
 * {@code admin dead-letters redrive} puts it back; its rerun's spans hang from a root
 * {@code job redriven} of a new trace that links to the old one, and the job keeps the new context
 * for its later passes.
 */
class RedriveTraceTest {
  static final OtlpReceiver RECEIVER = OtlpReceiver.start();
  static final String OLD_TRACE = "0af7651916cd43dd8448eb211c80319c";
  static final String OLD_SPAN = "b7ad6b7169203331";
  static JsonObject config;

  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(RedriveTraceTest::config);

  static JsonObject config(RedisServer redis) {
    config = TestService.config(redis, new JsonObject()
        .put("pipeline", new JsonObject().put("retryInitialMs", 100).put("blockMs", 200).put("claimIdleMs", 1000)
            .put("maxDeliveries", 1))
        .put("tracing", new JsonObject().put("otlpEndpoint", RECEIVER.endpoint()).put("sampleRatio", 1.0)));
    return config;
  }

  @AfterAll
  static void stop() {
    RECEIVER.close();
  }

  @Test
  void aRedrivenDeadLetterStartsANewTraceLinkedToItsFirstRun() throws Exception {
    AppContext ctx = app.service().context();
    String q = org.yzt.testing.Layout.newQueryId();
    org.yzt.store.Shard shard = org.yzt.testing.Layout.shardOf(q);
    String phone = Numbers.fresh();
    String sealed = ctx.personalData.encrypt(q, JobFields.PERSONAL, new JsonObject().put("phone", phone).put("idLast6", "123456"));
    long now = System.currentTimeMillis();
    // as the submission leaves it, but in a state no step knows: every pass fails until it is dead-lettered
    app.redis().cli("HSET", shard.job(q), "st", "WEIRD", "ca", Long.toString(now), "dl", Long.toString(now + 60_000),
        "pd", sealed, "rid", "req-" + q, JobFields.TRACE, "00-" + OLD_TRACE + "-" + OLD_SPAN + "-01");
    app.redis().cli("XADD", shard.stream(), "*", "q", q);
    assertTrue(waitUntil(20_000, () -> app.redis().cli("XRANGE", shard.deadLetters(), "-", "+").contains(q)), "dead-lettered");

    Path conf = Files.createTempFile("yzt-admin", ".json");
    try {
      Files.writeString(conf, config.encode());
      String line = Arrays.stream(admin(conf, "list")).filter(l -> l.contains("query=" + q)).findFirst().orElseThrow();
      String entryId = line.split(" ")[0];
      assertEquals("REDRIVEN " + entryId, admin(conf, "redrive", entryId)[0]);
    } finally {
      Files.deleteIfExists(conf);
    }

    ReceivedSpan root = RECEIVER.await(s -> "job redriven".equals(s.name()) && q.equals(s.attr("yzt.query_id")), 30_000);
    assertNotNull(root, "the rerun's root span: " + RECEIVER.spans());
    assertTrue(root.isRoot(), "a new trace");
    assertNotEquals(OLD_TRACE, root.traceId());
    assertEquals(1, root.links().size(), "one link: " + root.links());
    assertEquals(OLD_TRACE + "/" + OLD_SPAN, root.links().get(0), "linked to the first run's trace");
    ReceivedSpan verifying = RECEIVER.await(s -> "job VERIFYING".equals(s.name()) && q.equals(s.attr("yzt.query_id")), 10_000);
    assertNotNull(verifying);
    assertEquals(root.spanId(), verifying.parentId(), "the rerun's steps hang from it");
    String tp = app.redis().cli("HGET", shard.job(q), JobFields.TRACE).trim();
    assertTrue(tp.startsWith("00-" + root.traceId() + "-" + root.spanId() + "-"), "the job keeps the new trace for later passes: " + tp);
  }

  private static String[] admin(Path conf, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] all = new String[4 + args.length];
    all[0] = "-conf";
    all[1] = conf.toString();
    all[2] = "admin";
    all[3] = "dead-letters";
    System.arraycopy(args, 0, all, 4, args.length);
    Cli.Parsed parsed = Cli.parse(all, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
    assertEquals(0, parsed.exitStatus());
    return out.toString(StandardCharsets.UTF_8).split("\n");
  }
}
