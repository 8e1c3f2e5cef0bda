package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.testing.Api;
import org.yzt.testing.FailoverClient;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisSentinelSet;
import org.yzt.testing.RedisSetExtension;

/**
 * SPEC §11: the primary behind three sentinels is killed while queries come in. The service,
 * configured with {@code redis.type: sentinel}, follows the promoted replica with no restart: /ready
 * is 200 again within 20 s, the scripts are loaded again there (NOSCRIPT: Redis 7 does not replicate
 * SCRIPT LOAD), every query the client was told was accepted completes, and the client's retries of
 * the refused ones are accepted after the failover.
 */
class RedisSentinelFailoverTest {
  private static final int QUERIES = 12;
  @RegisterExtension
  static final RedisSetExtension<RedisSentinelSet> app = RedisSetExtension.sentinel(new JsonObject()
      .put("redis", new JsonObject().put("waitReplicas", 1).put("waitTimeoutMs", 100))
      .put("pipeline", new JsonObject().put("blockMs", 300).put("claimIdleMs", 2000).put("retryInitialMs", 200)));

  @Test
  void failoverMidTrafficLosesNoAcceptedQueryAndNeedsNoRestart() throws Exception {
    Api api = app.api();
    RedisSentinelSet redis = app.redis();
    assertEquals(200, api.get("/ready").statusCode());
    List<String> phones = new ArrayList<>();
    Map<String, String> codes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    List<Future<?>> asked = new ArrayList<>();
    for (int i = 0; i < QUERIES; i++) {
      String phone = Numbers.fresh();
      phones.add(phone);
      asked.add(pool.submit(() -> codes.put(phone, api.codeFor(phone))));
    }
    for (Future<?> f : asked) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    assertEquals("1", redis.primary().cli("WAIT", "1", "2000"), "the codes are on the replica");
    if (!redis.replica().cli("INFO", "server").contains("redis_version:6.")) {
      // Redis 6.2 (the embedded fallback) still replicates SCRIPT LOAD; from 7 the replica has none
      assertEquals(0, cachedScripts(), "Redis 7 replicates no SCRIPT LOAD: the promoted replica will answer NOSCRIPT");
    }

    // one client submitting number after number; a refused submission is retried with the same key
    FailoverClient client = FailoverClient.start(api, phones, codes, 40_000, 60);
    client.awaitAccepted(QUERIES / 3);
    Map<String, String> accepted = client.accepted; // phone → queryId
    long killedAt = System.currentTimeMillis();
    redis.primary().kill();

    long readyAfterMs = org.yzt.testing.Wait.waitUntil(25_000 - (System.currentTimeMillis() - killedAt),
        () -> redis.primaryPortNow() == redis.replica().port() && api.get("/ready").statusCode() == 200)
        ? System.currentTimeMillis() - killedAt : -1;
    assertTrue(readyAfterMs >= 0 && readyAfterMs <= 20_000, "ready again " + readyAfterMs + " ms after the kill");
    System.out.println("failover: /ready 200 again " + readyAfterMs + " ms after the primary was killed");
    client.join(45_000);
    assertEquals(List.of(), client.unexpected);
    assertEquals(QUERIES, accepted.size(), "every number accepted, before or after the failover");

    for (Map.Entry<String, String> e : accepted.entrySet()) {
      String[] status = {""};
      org.yzt.testing.Wait.waitUntil(30_000, () -> {
        HttpResponse<Buffer> r = api.get("/api/v1/queries/" + e.getValue());
        assertEquals(200, r.statusCode(), "an accepted query is known on the promoted replica: " + r.bodyAsString());
        status[0] = r.bodyAsJsonObject().getString("status");
        return status[0].equals("DONE");
      });
      assertEquals("DONE", status[0], "query " + e.getValue());
    }
    assertTrue(cachedScripts() > 0, "the scripts were loaded again on the promoted replica");
  }

  private static int cachedScripts() {
    for (String line : app.redis().replica().cli("INFO", "memory").split("\n")) {
      if (line.startsWith("number_of_cached_scripts:")) {
        return Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
      }
    }
    throw new AssertionError("no number_of_cached_scripts in INFO memory");
  }
}
