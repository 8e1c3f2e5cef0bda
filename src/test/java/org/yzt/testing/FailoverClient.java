package org.yzt.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client submitting query after query, on a thread of its own, while Redis fails over: a submission
 * refused with 503 is retried every 200 ms with the same Idempotency-Key ({@code failover-<phone>}), as a
 * client told to try again would; any other refusal is recorded in {@link #unexpected}.
 */
public final class FailoverClient {
  /** phone → queryId of every accepted submission. */
  public final Map<String, String> accepted = new ConcurrentHashMap<>();
  public final List<String> unexpected = new ArrayList<>();
  private final Thread thread;
  private final long forMs;

  private FailoverClient(Api api, List<String> phones, Map<String, String> codes, long forMs, long pauseMs) {
    this.forMs = forMs;
    thread = new Thread(() -> {
      long until = System.currentTimeMillis() + forMs;
      for (String phone : phones) {
        while (System.currentTimeMillis() < until) {
          HttpResponse<Buffer> r = api.postJson("/api/v1/queries", Api.query(phone, "12345X", codes.get(phone)),
              MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", "failover-" + phone));
          if (r.statusCode() == 202) {
            accepted.put(phone, r.bodyAsJsonObject().getString("queryId"));
            break;
          }
          if (r.statusCode() != 503) {
            synchronized (unexpected) {
              unexpected.add(r.statusCode() + " " + r.bodyAsString());
            }
            break;
          }
          sleep(200);
        }
        sleep(pauseMs);
      }
    });
  }

  /** Submits {@code phones} in turn with their {@code codes}, for {@code forMs} at most, {@code pauseMs} apart. */
  public static FailoverClient start(Api api, List<String> phones, Map<String, String> codes, long forMs, long pauseMs) {
    FailoverClient client = new FailoverClient(api, phones, codes, forMs, pauseMs);
    client.thread.start();
    return client;
  }

  /** Until {@code n} submissions were accepted or the client gave up (it stops after {@code forMs}). */
  public void awaitAccepted(int n) {
    Wait.waitUntil(forMs + 5_000, () -> accepted.size() >= n || !thread.isAlive());
  }

  public void join(long ms) throws InterruptedException {
    thread.join(ms);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
