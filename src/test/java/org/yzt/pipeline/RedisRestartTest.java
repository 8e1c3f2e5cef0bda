package org.yzt.pipeline;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.testing.Wait.waitUntil;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.ServiceExtension;

/**
 * SPEC §11: the service never needs a restart to recover from Redis. Redis is SIGKILLed and started
 * again (with its append-only file, and then empty), and flushed, while one service keeps running;
 * every accepted query still ends with exactly one text. Each test leaves Redis running and the
 * service ready (it waits for both), with numbers of its own, so the three run in any order.
 */
class RedisRestartTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject()
      .put("simulators", new JsonObject().put("latencyMs", 200))
      .put("pipeline", new JsonObject().put("claimIdleMs", 1500).put("retryInitialMs", 100).put("retryMaxMs", 1000)
          .put("blockMs", 300)))
      .withAof();

  private static String randomPhone() {
    return org.yzt.testing.Numbers.fresh("158");
  }

  /** Code, then query: answers the phone once the query is accepted (202). */
  private static String accepted(String phone, String code) {
    HttpResponse<Buffer> r = app.api().submit(phone, "123456", code);
    assertEquals(202, r.statusCode(), r.bodyAsString());
    return phone;
  }

  private static long resultTexts(String phone) {
    JsonArray inbox = app.api().inbox(phone);
    long n = 0;
    for (int i = 0; i < inbox.size(); i++) {
      if (inbox.getJsonObject(i).getString("text").contains("关联的互联网账号")) {
        n++;
      }
    }
    return n;
  }

  private static void assertEachGetsOneText(List<String> phones, long withinMs) throws InterruptedException {
    for (String phone : phones) {
      assertTrue(waitUntil(withinMs, () -> resultTexts(phone) >= 1), "a result text for " + phone.substring(0, 3));
    }
    // every job acknowledged and its stream entry deleted: no run is left (a redelivered entry of the
    // restored file included) that could text again, so a second text would be in the inbox by now
    assertTrue(waitUntil(15_000, RedisRestartTest::everyStreamEmpty), "every job's stream entry acknowledged and deleted");
    for (String phone : phones) {
      assertEquals(1, resultTexts(phone), "exactly one result text");
    }
  }

  private static boolean everyStreamEmpty() {
    for (int i = 0; i < Layout.KEYS.shardCount(); i++) {
      if (!"0".equals(app.redis().cli("XLEN", Layout.KEYS.shard(i).stream()).trim())) {
        return false;
      }
    }
    return true;
  }

  /** SPEC §11: workers recreate the job stream and its consumer group within 5 s of Redis losing them. */
  private static void assertGroupRecreatedWithin5s(long lostAtNanos) {
    long left = 5_000 - (System.nanoTime() - lostAtNanos) / 1_000_000;
    assertTrue(waitUntil(left, () -> {
      try {
        return app.redis().cli("XINFO", "GROUPS", Layout.KEYS.shard(0).stream())
            .contains(org.yzt.store.RedisKeys.JOB_GROUP);
      } catch (IllegalStateException redisNotUpYet) {
        return false;
      }
    }), "the job stream and its group were recreated within 5 s");
  }

  private static void waitForRedis() {
    assertTrue(waitUntil(15_000, () -> app.api().get("/ready").statusCode() == 200), "ready again");
  }

  @Test
  void killedAndRestartedWithItsAofWhileQueriesAreInFlight() throws Exception {
    List<String> phones = new ArrayList<>();
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String phone = randomPhone();
      phones.add(phone);
      codes.add(app.api().codeFor(phone));
    }
    for (int i = 0; i < 4; i++) {
      accepted(phones.get(i), codes.get(i));
    }
    app.redis().stop(); // SIGKILL while those four are being verified and queried
    app.redis().start();
    waitForRedis();
    for (int i = 4; i < 8; i++) {
      accepted(phones.get(i), codes.get(i));
    }
    assertEachGetsOneText(phones, 20_000);
  }

  @Test
  void restartedEmptyANewQueryCompletesWithin20s() throws Exception {
    app.redis().stop();
    app.redis().wipeData();
    app.redis().start();
    assertGroupRecreatedWithin5s(System.nanoTime());
    waitForRedis();
    String phone = randomPhone();
    accepted(phone, app.api().codeFor(phone));
    assertEachGetsOneText(List.of(phone), 20_000);
  }

  @Test
  void flushedANewQueryCompletesWithin20s() throws Exception {
    assertEquals("OK", app.redis().cli("FLUSHALL").trim());
    assertGroupRecreatedWithin5s(System.nanoTime());
    String phone = randomPhone();
    accepted(phone, app.api().codeFor(phone));
    assertEachGetsOneText(List.of(phone), 20_000);
  }
}
