package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.serviceproxy.ServiceException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.yzt.common.Addresses;
import org.yzt.common.Ids;
import org.yzt.common.PersonalData;
import org.yzt.common.RedisKeys;

/** Test helpers: jobs written exactly as the front door writes them, and a stand-in SMS service. */
public final class PipelineFixtures {
  private PipelineFixtures() {}

  /** The roles of a node with the pipeline and the simulated peers but no SMS service (the tests' stub is it). */
  public static JsonObject pipelineRoles() {
    return new JsonObject().put("node", new JsonObject().put("roles",
        new JsonArray().add("query").add("carrier").add("enterprise").add("simulators")));
  }

  private static final String SUBMIT = String.join("\n",
      "redis.call('HSET', KEYS[1], 'st', 'ACCEPTED', 'ca', ARGV[1], 'ua', ARGV[1], 'dl', ARGV[2], 'pd', ARGV[3], 'rid', ARGV[4])",
      "redis.call('PEXPIREAT', KEYS[1], ARGV[5])",
      "redis.call('XADD', KEYS[2], '*', 'q', ARGV[6])",
      "return 1");

  /** Writes an accepted job (hash + stream entry in one script) and answers its query id. */
  public static Future<String> submit(Redis redis, PersonalData pd, String phone, String idLast6, long deadlineMs) {
    String queryId = Ids.random128();
    return submitSealed(redis, queryId, pd.encrypt(queryId, new JsonObject().put("phone", phone).put("idLast6", idLast6)), deadlineMs);
  }

  public static Future<String> submitSealed(Redis redis, String sealed, long deadlineMs) {
    return submitSealed(redis, Ids.random128(), sealed, deadlineMs);
  }

  /** Writes a job whose personal data is {@code sealed} as given (sealed for {@code queryId}, or not). */
  public static Future<String> submitSealed(Redis redis, String queryId, String sealed, long deadlineMs) {
    long now = System.currentTimeMillis();
    long deadline = now + deadlineMs;
    Request req = Request.cmd(Command.EVAL).arg(SUBMIT).arg(2).arg("yzt:job:" + queryId).arg(RedisKeys.JOB_STREAM)
        .arg(now).arg(deadline).arg(sealed).arg("req-" + queryId).arg(deadline + 7L * 86400_000L).arg(queryId);
    return redis.send(req).map(queryId);
  }

  public static String submitNow(Redis redis, PersonalData pd, String phone, String idLast6, long deadlineMs) {
    return await(submit(redis, pd, phone, idLast6, deadlineMs));
  }

  public static Map<String, String> job(Redis redis, String queryId) {
    Response r = await(redis.send(Request.cmd(Command.HGETALL).arg("yzt:job:" + queryId)));
    Map<String, String> out = new java.util.HashMap<>();
    if (r == null) {
      return out;
    }
    if (r.isMap()) {
      for (String k : r.getKeys()) {
        out.put(k, r.get(k).toString());
      }
    } else {
      for (int i = 0; i + 1 < r.size(); i += 2) {
        out.put(r.get(i).toString(), r.get(i + 1).toString());
      }
    }
    return out;
  }

  public static String status(Redis redis, String queryId) {
    return job(redis, queryId).get("st");
  }

  public static <T> T await(Future<T> f) {
    try {
      return f.await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static boolean waitUntil(long timeoutMs, BooleanSupplier condition) {
    long until = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < until) {
      if (condition.getAsBoolean()) {
        return true;
      }
      try {
        Thread.sleep(25);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return condition.getAsBoolean();
  }

  /**
   * Stands in for {@code yzt.sms.send}: treats a repeated messageId as the same message (as the
   * gateway does), can fail the next calls with 503, and keeps what it delivered.
   */
  public static final class SmsStub {
    public record Sms(String messageId, String to, String text) {}

    public final List<Sms> delivered = new CopyOnWriteArrayList<>();
    public final Map<String, Integer> callsByMessageId = new ConcurrentHashMap<>();
    public final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failNext = new AtomicInteger();
    private final MessageConsumer<JsonObject> consumer;

    public SmsStub(Vertx vertx) {
      consumer = vertx.eventBus().consumer(Addresses.SMS_SEND, msg -> {
        JsonObject b = msg.body();
        calls.incrementAndGet();
        callsByMessageId.merge(b.getString("messageId"), 1, Integer::sum);
        if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          msg.reply(new ServiceException(503, "SERVICE_UNAVAILABLE"));
          return;
        }
        synchronized (delivered) {
          if (delivered.stream().noneMatch(s -> s.messageId().equals(b.getString("messageId")))) {
            delivered.add(new Sms(b.getString("messageId"), b.getString("to"), b.getString("text")));
          }
        }
        msg.reply(new JsonObject().put("messageId", b.getString("messageId")).put("status", "QUEUED"));
      });
      await(consumer.completion());
    }

    public void failNext(int n) {
      failNext.set(n);
    }

    public List<Sms> to(String phone) {
      List<Sms> out = new ArrayList<>();
      for (Sms s : delivered) {
        if (s.to().equals(phone)) {
          out.add(s);
        }
      }
      return out;
    }

    public void close() {
      await(consumer.unregister());
    }
  }
}
