package org.yzt.frontdoor;

import org.yzt.store.JobFields;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
import org.yzt.privacy.Ids;
import org.yzt.privacy.PersonalData;
import org.yzt.store.RedisKeys;
import org.yzt.store.RedisScript;
import org.yzt.contract.Addresses;
import org.yzt.contract.QueryKind;
import org.yzt.contract.SmsCodeSend;
import org.yzt.contract.Submission;
import org.yzt.runtime.AppContext;
import org.yzt.smscode.SmsCodeService;
import org.yzt.testing.Layout;

/** Test helpers: jobs written exactly as the front door writes them, and a stand-in SMS service. */
public final class PipelineFixtures {
  private PipelineFixtures() {}

  /** The roles of a node with the pipeline and the simulated peers but no SMS service (the tests' stub is it). */
  public static JsonObject pipelineRoles() {
    return new JsonObject().put("node", new JsonObject().put("roles",
        new JsonArray().add("query").add("carrier").add("enterprise").add("simulators")));
  }

  private static final long SUBMIT_TIMEOUT_MS = 20_000;

  /**
   * Submits a query through the front door's own path ({@link QueryService#submit}: lua/query_submit.lua,
   * its keys and its record shape) with a deadline {@code deadlineMs} from now (rounded down to the
   * second, as production rounds it), and answers its query id. The SMS code the submission consumes
   * is planted first as the code service stores it (a keyed hash in the number's code key), and the
   * number's query window is cleared, so tests may query a demo number more than once.
   */
  public static Future<String> submit(AppContext ctx, String phone, String idLast6, long deadlineMs) {
    QueryService service = ctx.shared(QueryService.class, () -> {
      // the script itself, with a test's patience: what is under test is the pipeline, not the submission's timeout
      var script = QueryService.submitScript(ctx.config, ctx.redis, SUBMIT_TIMEOUT_MS);
      return new QueryService(ctx, script, script);
    });
    // a client address of its own per submission: the per-IP limits are not what these tests are about
    String client = "10." + (phone.hashCode() & 0xff) + "." + Ids.random128().substring(0, 6);
    return plantCode(ctx, phone, QueryKind.ACCOUNTS, ctx.keys.queryWindow(ctx.keys.phoneToken(phone)))
        .compose(code -> service.submit(new Submission(phone, idLast6, code, client, null, null, "req-" + Ids.random128()),
            deadlineMs))
        .map(answer -> answer.getString("queryId"));
  }

  public static String submitNow(AppContext ctx, String phone, String idLast6, long deadlineMs) {
    return await(submit(ctx, phone, idLast6, deadlineMs));
  }

  /**
   * A job whose personal data is {@code sealed} as given (not sealed for it: a job no worker can
   * open), in the record shape of lua/query_submit.lua ({@code st ca dl pd rid}, no {@code ua}).
   */
  public static Future<String> submitSealed(Redis redis, String sealed, long deadlineMs) {
    return submitSealed(redis, Layout.newQueryId(), sealed, deadlineMs);
  }

  /** {@link #submitSealed(Redis, String, long)} for a given query id (a value sealed for that job, or not). */
  public static Future<String> submitSealed(Redis redis, String queryId, String sealed, long deadlineMs) {
    long now = System.currentTimeMillis();
    long deadline = now + deadlineMs;
    Request req = Request.cmd(Command.EVAL).arg(String.join("\n",
            "redis.call('HSET', KEYS[1], 'st', 'ACCEPTED', 'ca', ARGV[1], 'dl', ARGV[2], 'pd', ARGV[3], 'rid', ARGV[4])",
            "redis.call('PEXPIREAT', KEYS[1], ARGV[5])",
            "redis.call('XADD', KEYS[2], '*', 'q', ARGV[6])",
            "return 1"))
        .arg(2).arg(Layout.job(queryId)).arg(Layout.shardOf(queryId).stream())
        .arg(now).arg(deadline).arg(sealed).arg("req-" + queryId).arg(deadline + 7L * 86400_000L).arg(queryId);
    return redis.send(req).map(queryId);
  }

  /**
   * Submits a phone-card query (SPEC §13) through the front door's own path ({@link CardQueryService}:
   * lua/card_submit.lua), its code planted and its two windows cleared first, as {@link #submit} does.
   */
  public static String submitCardNow(AppContext ctx, String phone, String name, String idNumber, long deadlineMs) {
    CardQueryService service = ctx.shared(CardQueryService.class, () -> {
      RedisScript script = QueryService.submitScript(ctx.config, ctx.redis, SUBMIT_TIMEOUT_MS);
      QueryService accounts = new QueryService(ctx, script, script);
      RedisScript cards = QueryService.submitScript(ctx.config, ctx.redis, SUBMIT_TIMEOUT_MS, QueryKind.CARDS);
      return new CardQueryService(ctx, accounts, cards, cards);
    });
    return await(plantCode(ctx, phone, QueryKind.CARDS, ctx.keys.cardWindow(ctx.keys.phoneToken(phone)),
            ctx.keys.cardIdWindow(idNumber))
        .compose(code -> service.submit(new JsonObject().put("phone", phone).put("name", name).put("idNumber", idNumber)
            .put("smsCode", code).put("client", "10.9." + Ids.random128().substring(0, 6))
            .put("requestId", "req-" + Ids.random128()), deadlineMs))
        .map(a -> a.getString("queryId")));
  }

  /**
   * A live code of {@code purpose} for {@code phone}, stored as the code service stores one (a keyed
   * hash in the number's code key, five attempts, five minutes), with the query {@code windows}
   * cleared; answers the code.
   */
  private static Future<String> plantCode(AppContext ctx, String phone, QueryKind purpose, String... windows) {
    String code = String.format("%06d", java.util.concurrent.ThreadLocalRandom.current().nextInt(1_000_000));
    Request plant = Request.cmd(Command.EVAL).arg(String.join("\n",
            "for i = 2, #KEYS do redis.call('DEL', KEYS[i]) end",
            "redis.call('HSET', KEYS[1], ARGV[2], ARGV[1], 'a', 5)",
            "redis.call('PEXPIRE', KEYS[1], 300000)",
            "return 1"))
        .arg(1 + windows.length).arg(ctx.keys.smsCode(ctx.keys.phoneToken(phone)));
    for (String w : windows) {
      plant.arg(w);
    }
    plant.arg(ctx.personalData.secretHash(SmsCodeSend.PURPOSE, code)).arg(SmsCodeService.codeField(purpose));
    return ctx.redis.send(plant).map(code);
  }

  /**
   * A job as a worker that stopped in state {@code st} left it (e.g. NOTIFYING with {@code "cv",
   * "MISMATCH"}), back on the stream; {@code deadlineMs} from now, negative for a deadline passed.
   */
  public static String submitInState(Redis redis, PersonalData pd, String phone, String idLast6, long deadlineMs,
      String st, String... fields) {
    String queryId = Layout.newQueryId();
    long now = System.currentTimeMillis();
    long deadline = now + deadlineMs;
    // the hash in its state before the stream entry, in one script: no worker sees it ACCEPTED
    Request req = Request.cmd(Command.EVAL).arg(String.join("\n",
            "redis.call('HSET', KEYS[1], 'st', ARGV[1], 'ca', ARGV[2], 'ua', ARGV[2], 'dl', ARGV[3], 'pd', ARGV[4], 'rid', ARGV[5])",
            "for i = 7, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end",
            "redis.call('XADD', KEYS[2], '*', 'q', ARGV[6])",
            "return 1"))
        .arg(2).arg(Layout.job(queryId)).arg(Layout.shardOf(queryId).stream()).arg(st).arg(now).arg(deadline)
        .arg(pd.encrypt(queryId, JobFields.PERSONAL, new JsonObject().put("phone", phone).put("idLast6", idLast6))).arg("req-" + queryId).arg(queryId);
    for (String f : fields) {
      req.arg(f);
    }
    await(redis.send(req));
    return queryId;
  }

  /** The job's statuses in the order they were seen, polled every 5 ms, until DONE or FAILED (or the time is up). */
  public static List<String> follow(Redis redis, String queryId, long timeoutMs) {
    List<String> seen = new ArrayList<>();
    long until = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < until) {
      String st = status(redis, queryId);
      if (st != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(st))) {
        seen.add(st);
      }
      if ("DONE".equals(st) || "FAILED".equals(st)) {
        break;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return seen;
  }

  /** SPEC §3: ACCEPTED → VERIFYING → QUERYING → NOTIFYING → DONE, never back, ending in {@code last}. */
  public static void assertStagesInOrder(List<String> seen, String last, String... mustSee) {
    List<String> order = List.of("ACCEPTED", "VERIFYING", "QUERYING", "NOTIFYING", last);
    int at = -1;
    for (String st : seen) {
      int i = order.indexOf(st);
      if (i <= at) {
        throw new AssertionError("statuses out of the order of SPEC §3: " + seen);
      }
      at = i;
    }
    if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(last)) {
      throw new AssertionError("expected to end in " + last + ": " + seen);
    }
    for (String st : mustSee) {
      if (!seen.contains(st)) {
        throw new AssertionError(st + " was never seen: " + seen);
      }
    }
  }

  public static Map<String, String> job(Redis redis, String queryId) {
    Response r = await(redis.send(Request.cmd(Command.HGETALL).arg(Layout.job(queryId))));
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

  /**
   * Whether the job still has an entry in its shard's stream: once it has none (acknowledged and
   * deleted at its end), no claim or wake-up can run the job again.
   */
  public static boolean inStream(Redis redis, String queryId) {
    Response r = await(redis.send(Request.cmd(Command.XRANGE).arg(Layout.shardOf(queryId).stream()).arg("-").arg("+")));
    return r != null && r.toString().contains(queryId);
  }

  /** Jobs the node's workers hold now (yzt_pipeline_jobs_in_flight): 0 once every pass let go of its job. */
  public static double inFlight(AppContext ctx) {
    return ctx.metrics.get("yzt.pipeline.jobs.in.flight").gauge().value();
  }

  /** Passes that ended in error (yzt_pipeline_passes_stopped_total), each job left to a reclaim. */
  public static double passesStopped(AppContext ctx) {
    return ctx.metrics.counter("yzt.pipeline.passes.stopped").count();
  }

  /** Jobs taken over from a silent worker (yzt_pipeline_jobs_reclaimed_total). */
  public static double jobsReclaimed(AppContext ctx) {
    return ctx.metrics.counter("yzt.pipeline.jobs.reclaimed").count();
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

  /**
   * Stands in for {@code yzt.sms.send}: treats a repeated messageId as the same message (as the
   * gateway does), can fail the next calls with 503, and keeps what it delivered.
   */
  public static final class SmsStub {
    public record Sms(String messageId, String to, String text) {}

    public final List<Sms> delivered = new CopyOnWriteArrayList<>();
    public final Map<String, Integer> callsByMessageId = new ConcurrentHashMap<>();
    public final AtomicInteger calls = new AtomicInteger();
    /** Every call per number, whatever its messageId, counted before the de-duplication. */
    public final Map<String, Integer> callsByPhone = new ConcurrentHashMap<>();
    /** When the last call of each messageId came (epoch ms). */
    public final Map<String, Long> lastCallAt = new ConcurrentHashMap<>();
    private final AtomicInteger failNext = new AtomicInteger();
    private final java.util.Set<String> failAlways = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> replyDelayMs = new ConcurrentHashMap<>();
    private final MessageConsumer<JsonObject> consumer;

    public SmsStub(Vertx vertx) {
      consumer = vertx.eventBus().consumer(Addresses.SMS_SEND, msg -> {
        JsonObject b = msg.body();
        calls.incrementAndGet();
        callsByMessageId.merge(b.getString("messageId"), 1, Integer::sum);
        callsByPhone.merge(String.valueOf(b.getString("to")), 1, Integer::sum);
        lastCallAt.put(b.getString("messageId"), System.currentTimeMillis());
        if (failAlways.contains(String.valueOf(b.getString("to"))) || failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
          msg.reply(new ServiceException(503, "SERVICE_UNAVAILABLE"));
          return;
        }
        Long delayMs = replyDelayMs.get(String.valueOf(b.getString("to")));
        if (delayMs != null) {
          vertx.setTimer(delayMs, t -> deliver(msg, b));
        } else {
          deliver(msg, b);
        }
      });
      await(consumer.completion());
    }

    private void deliver(io.vertx.core.eventbus.Message<JsonObject> msg, JsonObject b) {
      {
        synchronized (delivered) {
          if (delivered.stream().noneMatch(s -> s.messageId().equals(b.getString("messageId")))) {
            delivered.add(new Sms(b.getString("messageId"), b.getString("to"), b.getString("text")));
          }
        }
        msg.reply(new JsonObject().put("messageId", b.getString("messageId")).put("status", "QUEUED"));
      }
    }

    /** Every text to {@code phone} is taken, and answered, {@code ms} late (as a slow gateway would). */
    public void delayReplies(String phone, long ms) {
      replyDelayMs.put(phone, ms);
    }

    public void failNext(int n) {
      failNext.set(n);
    }

    /** Every call for this number answers 503. */
    public void failAlways(String phone) {
      failAlways.add(phone);
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
