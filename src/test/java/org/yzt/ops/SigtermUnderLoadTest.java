package org.yzt.ops;

import org.yzt.testing.Layout;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * SIGTERM while queries pour in loses no accepted query: every 202 answered before or while the
 * process stops has its job in Redis, and after a restart every one of them completes (DONE). The
 * simulated peers answer in 150 ms, so jobs are in every stage when the signal comes.
 */
class SigtermUnderLoadTest {
  static final int QUERIES = 60;

  @Test
  void sigtermDuringLoadLosesNoAcceptedQuery() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject config = TestService.config(redis, new JsonObject()
          .put("simulators", new JsonObject().put("latencyMs", 150))
          .put("pipeline", new JsonObject().put("blockMs", 300).put("claimIdleMs", 2000).put("retryInitialMs", 200)));
      Vertx vertx = Vertx.vertx();
      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(config.getJsonObject("http").getInteger("port")),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(QUERIES));
      Api api = new Api(client);
      NodeProcess first = NodeProcess.service("first", config, false);
      NodeProcess second = null;
      try {
        List<String> phones = new ArrayList<>();
        Map<String, String> codes = new ConcurrentHashMap<>();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        List<java.util.concurrent.Future<?>> asked = new ArrayList<>();
        for (int i = 0; i < QUERIES; i++) {
          // one number per 7-digit block, as real traffic is: 60 in one block would meet its send budget
          String phone = String.format("158%04d%04d", 1000 + i, i);
          phones.add(phone);
          asked.add(pool.submit(() -> codes.put(phone, api.codeFor(phone))));
        }
        for (java.util.concurrent.Future<?> f : asked) {
          f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        List<String> captchas = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
          captchas.add(api.captchaId());
        }

        // a submission every 10 ms; SIGTERM once 15 are accepted, while the others keep coming
        Map<String, String> accepted = new ConcurrentHashMap<>(); // queryId → phone
        AtomicInteger refused = new AtomicInteger(); // 503, or a connection the stopped node refused
        List<String> refusedPhones = java.util.Collections.synchronizedList(new ArrayList<>()); // checked below against Redis
        List<String> otherFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        // closed under the request: legitimate only for a keep-alive connection the stopping server
        // closed before it read the request (HTTP/1.1's race); checked below against Redis
        List<String> closedUnder = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Future<HttpResponse<Buffer>>> sent = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread sender = new Thread(() -> {
          for (String phone : phones) {
            Future<HttpResponse<Buffer>> f = client.post("/api/v1/queries").timeout(20_000)
                .putHeader("Content-Type", "application/json")
                .sendJsonObject(Api.query(phone, "12345X", codes.get(phone)));
            f.onComplete(ar -> {
              if (ar.succeeded() && ar.result().statusCode() == 202) {
                accepted.put(ar.result().bodyAsJsonObject().getString("queryId"), phone);
              } else if ((ar.succeeded() && ar.result().statusCode() == 503)
                  || (ar.failed() && ar.cause() instanceof java.net.ConnectException)) {
                refused.incrementAndGet(); // refused before it was taken: the client may try again
                refusedPhones.add(phone);
              } else if (ar.failed() && (ar.cause() instanceof io.vertx.core.http.HttpClosedException
                  || (ar.cause() instanceof java.net.SocketException se && se.getMessage() != null
                      && se.getMessage().startsWith("Connection reset")))) {
                // the same race seen as a reset (our request reached a socket the server had closed): the JDK
                // says "Connection reset", Netty "Connection reset by peer: <address>" (seen on a clean-clone run)
                closedUnder.add(phone);
              } else {
                // any other answer or failure: the shutdown dropped a request
                otherFailures.add(ar.succeeded() ? ar.result().statusCode() + " " + ar.result().bodyAsString()
                    : String.valueOf(ar.cause()));
              }
            });
            sent.add(f);
            try {
              Thread.sleep(10);
            } catch (InterruptedException e) {
              return;
            }
          }
        }, "load");
        sender.start();
        long until = System.currentTimeMillis() + 20_000;
        while (accepted.size() < 15 && System.currentTimeMillis() < until) {
          Thread.sleep(2);
        }
        // and a few code requests in flight at the signal: each waits 150 ms on the simulated SMS gateway
        List<Future<HttpResponse<Buffer>>> inFlight = new ArrayList<>();
        for (int i = 0; i < captchas.size(); i++) {
          inFlight.add(client.post("/api/v1/sms-codes").timeout(20_000).putHeader("Content-Type", "application/json")
              .sendJsonObject(new JsonObject().put("phone", String.format("158%08d", 20_000 + i))
                  .put("captchaId", captchas.get(i)).put("captchaCode", TestService.CAPTCHA)));
        }
        Thread.sleep(60);
        int exit = first.terminate(); // SIGTERM while the load goes on
        sender.join(30_000);
        Future.join(new ArrayList<>(sent)).transform(ar -> Future.succeededFuture()).await(30, TimeUnit.SECONDS);
        assertTrue(accepted.size() >= 15, "some queries were accepted before the signal");
        assertEquals(List.of(), otherFailures, "requests in flight finish: none is cut off");
        // a closed connection is no lost request only when the service never read it: the number's
        // code is still live and no query window was taken
        org.yzt.store.RedisKeys keys = new org.yzt.store.RedisKeys(
            new org.yzt.privacy.PersonalData(config.getJsonObject("security").getString("dataKey")),
            org.yzt.config.PipelineConfig.from(config.getJsonObject("pipeline")).streamShards());
        // and a refusal (503 or a refused connection) is one only when nothing was taken either
        List<String> untaken = new ArrayList<>(closedUnder);
        untaken.addAll(refusedPhones);
        for (String phone : untaken) {
          String token = keys.phoneToken(phone);
          String how = refusedPhones.contains(phone) ? "refused (503 or no connection)" : "cut off (connection closed)";
          assertEquals("1", redis.cli("EXISTS", keys.smsCode(token)).trim(), "a request " + how + " consumed a code");
          assertEquals("0", redis.cli("EXISTS", keys.queryWindow(token)).trim(), "a request " + how + " was accepted");
        }
        assertEquals(QUERIES, accepted.size() + refused.get() + closedUnder.size());
        Future.join(new ArrayList<>(inFlight)).transform(ar -> Future.succeededFuture()).await(30, TimeUnit.SECONDS);
        for (int i = 0; i < inFlight.size(); i++) {
          Future<HttpResponse<Buffer>> f = inFlight.get(i);
          if (f.succeeded()) {
            assertTrue(List.of(202, 503).contains(f.result().statusCode()), f.result().bodyAsString());
          } else if (!(f.cause() instanceof java.net.ConnectException)) {
            // closed under it: legitimate only if the service never read it (its captcha still live)
            assertEquals("1", redis.cli("EXISTS", Layout.KEYS.captcha(captchas.get(i))).trim(),
                "a code request in flight at SIGTERM was cut off: " + f.cause());
          }
        }
        assertTrue(first.lines().stream().anyMatch(l -> l.contains("stopping: no new requests")), "the shutdown hook ran");
        assertTrue(first.lines().stream().noneMatch(l -> l.contains("stop did not finish cleanly")), "a clean stop");
        assertEquals(143, exit, "the JVM's status after SIGTERM with its shutdown hook run (128 + 15)");

        // while no node runs: every accepted query is a job in Redis, none lost
        int unfinished = 0;
        for (String queryId : accepted.keySet()) {
          String st = redis.cli("HGET", Layout.job(queryId), "st").trim();
          assertTrue(List.of("ACCEPTED", "VERIFYING", "QUERYING", "NOTIFYING", "DONE", "FAILED").contains(st),
              "job of an accepted query in Redis: " + queryId + " → '" + st + "'");
          if (!st.equals("DONE")) {
            unfinished++;
          }
        }

        // the signal came while jobs were in the pipeline, so the restart below has work to resume
        assertTrue(unfinished > 0, "jobs unfinished at SIGTERM: " + unfinished + " of " + accepted.size());

        second = NodeProcess.service("second", config, false);
        long deadline = System.currentTimeMillis() + 40_000;
        for (String queryId : accepted.keySet()) {
          String[] st = {""};
          org.yzt.testing.Wait.waitUntil(Math.max(0, deadline - System.currentTimeMillis()), () -> {
            HttpResponse<Buffer> r = api.get("/api/v1/queries/" + queryId);
            assertEquals(200, r.statusCode(), "an accepted query is known: " + queryId);
            st[0] = r.bodyAsJsonObject().getString("status");
            return st[0].equals("DONE");
          });
          assertEquals("DONE", st[0], "query " + queryId + " of " + accepted.get(queryId) + " completed after the restart");
        }
        System.out.printf("accepted %d, refused %d, closed before read %d, unfinished at SIGTERM %d; code requests in flight: %s%n",
            accepted.size(), refused.get(), closedUnder.size(), unfinished,
            inFlight.stream().map(f -> f.succeeded() ? String.valueOf(f.result().statusCode()) : f.cause().getClass().getSimpleName()).toList());
      } finally {
        first.close();
        if (second != null) {
          second.close();
        }
        vertx.close().await(10, TimeUnit.SECONDS);
      }
    }
  }
}
