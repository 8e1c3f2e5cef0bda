package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.common.ClusterMasters;
import org.yzt.common.HashSlots;
import org.yzt.common.Ids;
import org.yzt.common.PersonalData;
import org.yzt.common.Phone;
import org.yzt.common.RedisConfig;
import org.yzt.common.RedisKeys;
import org.yzt.common.RedisScript;
import org.yzt.common.ReplicaWait;
import org.yzt.common.SecurityLog;
import org.yzt.common.Shard;
import org.yzt.config.Limit;
import org.yzt.config.LimitsConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.config.SmsConfig;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;
import org.yzt.contract.SmsCodeSend;
import org.yzt.contract.Submission;
import org.yzt.ratelimit.SiteLimit;
import org.yzt.runtime.AppContext;
import org.yzt.tracing.JobTrace;

/**
 * Query submission and status (SPEC §2.3, §2.4). Submission is one script, one round trip: the
 * idempotency record, the code check, the number's window, the encrypted job and its stream entry
 * succeed or fail together. The idempotency record keeps only a keyed hash of the body digest the
 * caller sends ({@link PersonalData#bodyHash}), never the digest itself; personal data is sealed for
 * the job's id.
 */
public final class QueryService {
  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);
  static final long RECORD_KEPT_AFTER_DEADLINE_MS = 7L * 24 * 3600 * 1000;
  static final long IDEMPOTENCY_TTL_MS = 24L * 3600 * 1000;

  private final AppContext ctx;
  private final RedisScript submitScript;
  private final RedisScript submitThenWaitScript;
  private final long deadlineMs;
  private final String sender;
  private final ReplicaWait replicaWait;
  private final SiteLimit sites;
  private final RedisScript ipScript;
  private final RedisScript failureScript;
  /** On a Redis Cluster with {@code redis.waitReplicas}: the masters, each written and waited on directly. */
  private final ClusterMasters masters;

  /**
   * {@code submitScript} runs a submission; {@code submitThenWaitScript}, the same script with its own
   * timeout, runs it on the connection borrowed for WAIT when {@code redis.waitReplicas} is above 0.
   * Both are {@link #submitScript}s.
   */
  public QueryService(AppContext ctx, RedisScript submitScript, RedisScript submitThenWaitScript) {
    this.ctx = ctx;
    this.submitScript = submitScript;
    this.submitThenWaitScript = submitThenWaitScript;
    this.deadlineMs = PipelineConfig.from(ctx.section("pipeline")).deadlineMs();
    this.sender = SmsConfig.from(ctx.section("sms")).sender();
    this.replicaWait = new ReplicaWait(RedisConfig.from(ctx.config), ctx.metrics);
    this.sites = new SiteLimit(ctx, "queries");
    this.masters = RedisConfig.from(ctx.config).type() == RedisConfig.Type.CLUSTER
        ? ctx.shared(ClusterMasters.class, () -> new ClusterMasters(ctx.vertx, ctx.config, ctx.redis)) : null;
    this.ipScript = ipScript(ctx.config, ctx.redis, ctx.redisTimeoutMs());
    this.failureScript = failureScript(ctx.config, ctx.redis, ctx.redisTimeoutMs());
  }

  /** Loads the per-IP scripts ahead of the first query (the submission scripts are warmed by their owner). */
  public Future<Void> warm() {
    return Future.all(ipScript.warm(), failureScript.warm()).mapEmpty();
  }

  /** lua/query_ip.lua: the per-IP step before the number's, with this node's limits as constants. */
  public static RedisScript ipScript(JsonObject config, Redis redis, long timeoutMs) {
    Limit perIp = Limit.of(config, "queries");
    Limit codeFailures = Limit.of(config, "codeFailures");
    return RedisScript.load(redis, timeoutMs, Map.of(
        "IP_WINDOW_MS", perIp.windowMs(), "IP_MAX", (long) perIp.max(),
        "FAIL_WINDOW_MS", codeFailures.windowMs(), "FAIL_MAX", (long) codeFailures.max()), "lib/hit_log", "query_ip");
  }

  /** lua/code_failure.lua: a wrong or expired code counted against the client's address. */
  public static RedisScript failureScript(JsonObject config, Redis redis, long timeoutMs) {
    Limit codeFailures = Limit.of(config, "codeFailures");
    return RedisScript.load(redis, timeoutMs, Map.of(
        "FAIL_WINDOW_MS", codeFailures.windowMs(), "FAIL_MAX", (long) codeFailures.max()), "lib/hit_log", "code_failure");
  }

  /**
   * lua/query_submit.lua on {@code redis}, with this node's query window, per-IP limits, idempotency
   * TTL and job record TTL written in as the script's constants (they are the same on every call).
   */
  public static RedisScript submitScript(JsonObject config, Redis redis, long timeoutMs) {
    return submitScript(config, redis, timeoutMs, QueryKind.ACCOUNTS);
  }

  /** The submission script of a query of {@code kind}: lua/query_submit.lua, or lua/card_submit.lua for cards. */
  static RedisScript submitScript(JsonObject config, Redis redis, long timeoutMs, QueryKind kind) {
    Limit perIp = Limit.of(config, "queries");
    Limit codeFailures = Limit.of(config, "codeFailures");
    long windowMs = LimitsConfig.from(config).queryWindowSeconds() * 1000;
    long deadlineMs = PipelineConfig.from(config.getJsonObject("pipeline", new JsonObject())).deadlineMs();
    if (kind != QueryKind.CARDS) {
      // the per-IP limits are lua/query_ip.lua's, a step of their own (SPEC §11)
      return RedisScript.load(redis, timeoutMs, Map.of(
          "WINDOW_MS", windowMs,
          "IDEMPOTENCY_TTL_MS", IDEMPOTENCY_TTL_MS,
          "JOB_TTL_MS", deadlineMs + RECORD_KEPT_AFTER_DEADLINE_MS), "query_submit");
    }
    return RedisScript.load(redis, timeoutMs, Map.of(
        "WINDOW_MS", windowMs,
        "IP_WINDOW_MS", perIp.windowMs(), "IP_MAX", (long) perIp.max(),
        "FAIL_WINDOW_MS", codeFailures.windowMs(), "FAIL_MAX", (long) codeFailures.max(),
        "IDEMPOTENCY_TTL_MS", IDEMPOTENCY_TTL_MS,
        "JOB_TTL_MS", deadlineMs + RECORD_KEPT_AFTER_DEADLINE_MS), "lib/hit_log", "card_submit");
  }

  public Future<JsonObject> submit(Submission s) {
    return submit(s, deadlineMs);
  }

  /** {@link #submit}, with a deadline {@code deadlineMs} from now: a seam for tests whose jobs must end in seconds. */
  Future<JsonObject> submit(Submission s, long deadlineMs) {
    String phone = Phone.normalize(s.phone());
    String idLast6 = Phone.normalizeIdLast6(s.idLast6());
    if (phone == null) {
      return Failures.fail(ErrorCode.INVALID_PHONE);
    }
    if (idLast6 == null) {
      return Failures.fail(ErrorCode.INVALID_ID_LAST6);
    }
    if (!Phone.isSmsCode(s.smsCode()) || s.client() == null || s.client().isEmpty() || s.client().length() > 64) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    boolean idempotent = s.idempotencyKey() != null;
    if (idempotent && (s.bodyHash() == null || s.bodyHash().isEmpty())) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    String token = ctx.keys.phoneToken(phone);
    String client = ctx.keys.clientToken(s.client());
    Shard shard = ctx.keys.shardOfPhone(token);
    Draft d = draft(shard, deadlineMs);
    String nowText = RedisScript.millisText(d.now());
    // the idempotency record first (SPEC §2.3: before anything else), then the per-IP step in the slot of
    // the client's address, then the number's atomic step in the slot of its shard (SPEC §11)
    Future<QueryReplay.Reply> earlier = idempotent
        ? replay(new QueryReplay.Request(QueryKind.ACCOUNTS, s.idempotencyKey(), s.bodyHash())) : NOT_FOUND;
    return earlier.compose(found -> {
      if (found.found()) {
        return Future.succeededFuture(found.answer());
      }
      return ipScript.run(List.of(ctx.keys.queryHitsOf(client), ctx.keys.codeFailuresOf(client)), List.of(nowText))
          .compose(ip -> !"OK".equals(ip.get(0).toString())
              ? outcome(ip, d.answer(), phone, s.requestId(), client)
              // the /64 let it through: now its IPv6 site (SPEC §2.6), then the number's step
              : sites.take(s.client(), d.now(), s.requestId()).compose(v -> numberStep(s, phone, idLast6, token, shard, d))
                  .compose(r -> afterNumberStep(r, d.answer(), phone, s, client, nowText)));
    });
  }

  private static final Future<QueryReplay.Reply> NOT_FOUND = Future.succeededFuture(QueryReplay.Reply.notFound());

  private Future<Response> numberStep(Submission s, String phone, String idLast6, String token, Shard shard, Draft d) {
    String queryId = d.queryId();
    // {"phone":…,"idLast6":…} as JsonObject.encode writes it: both values are digits (and X), nothing to escape
    String sealed = ctx.personalData.encrypt(queryId, JobFields.PERSONAL, "{\"phone\":\"" + phone + "\",\"idLast6\":\"" + idLast6 + "\"}");
    // lua/query_submit.lua's layout: the idempotency record's copy and its arguments, then the traceparent,
    // last, and each only when there is one
    List<String> keys = new ArrayList<>(5);
    keys.add(ctx.keys.smsCode(token));
    keys.add(ctx.keys.queryWindow(token));
    keys.add(shard.job(queryId));
    keys.add(shard.stream());
    List<String> args = new ArrayList<>(9);
    args.add(ctx.personalData.secretHash(SmsCodeSend.PURPOSE, s.smsCode()));
    args.add(queryId);
    args.add(RedisScript.millisText(d.now()));
    args.add(Long.toString(d.deadline()));
    args.add(sealed);
    args.add(s.requestId() == null ? "" : s.requestId());
    if (s.idempotencyKey() != null) {
      keys.add(ctx.keys.idempotencyIn(shard, s.idempotencyKey()));
      args.add(ctx.personalData.bodyHash(s.bodyHash()));
      args.add(d.answer().encode());
    }
    String traceparent = JobTrace.currentTraceparent();
    if (traceparent != null) {
      args.add(traceparent); // last of all, only when this request is traced (SPEC §11)
    }
    if (!replicaWait.enabled()) {
      return submitScript.run(keys, args);
    }
    if (masters == null) {
      return replicaWait.write(ctx.redis, conn -> submitThenWaitScript.run(conn, keys, args), QueryService::accepted,
          s.requestId());
    }
    // Redis Cluster: the script and its WAIT on one connection to the master of the shard's slot
    return masters.clientFor(HashSlots.slot(shard.tag()))
        .compose(master -> replicaWait.write(master, conn -> submitThenWaitScript.run(conn, keys, args),
            QueryService::accepted, s.requestId()))
        .onFailure(err -> masters.forget());
  }

  /**
   * The number's step's outcome: a wrong or expired code is counted against the client's address (in
   * its slot), an accepted idempotent query's record is written in its own slot, and then as
   * {@link #outcome}.
   */
  private Future<JsonObject> afterNumberStep(Response r, JsonObject answer, String phone, Submission s, String client,
      String now) {
    String result = r.get(0).toString();
    Future<Void> first;
    if ("SMS_CODE_INVALID".equals(result) || "SMS_CODE_EXPIRED".equals(result)) {
      first = failureScript.run(List.of(ctx.keys.codeFailuresOf(client)), List.of(now)).mapEmpty();
    } else if ("OK".equals(result) && s.idempotencyKey() != null) {
      // the number's copy already answers a repeat for this number; a failure here is not the client's
      first = recordIdempotency(s, answer).recover(err -> Future.succeededFuture());
    } else {
      first = Future.succeededFuture();
    }
    return first.compose(v -> outcome(r, answer, phone, s.requestId(), client));
  }

  /**
   * The idempotency record in its own slot, looked up first by later repeats (from any address, for any
   * number): written once the number's step has accepted the query and kept its own copy.
   */
  private Future<Void> recordIdempotency(Submission s, JsonObject answer) {
    String key = ctx.keys.idempotency(s.idempotencyKey());
    return ctx.redis.batch(List.of(
            Request.cmd(Command.HSET).arg(key).arg("b").arg(ctx.personalData.bodyHash(s.bodyHash())).arg("r").arg(answer.encode()),
            Request.cmd(Command.PEXPIRE).arg(key).arg(IDEMPOTENCY_TTL_MS)))
        .timeout(ctx.redisTimeoutMs(), TimeUnit.MILLISECONDS).mapEmpty();
  }

  /** A new query before it is stored: its id, the time, its deadline (to the second) and the answer it will get. */
  record Draft(String queryId, long now, long deadline, JsonObject answer) {}

  /** A draft for a query of a number of {@code shard}: its id names the shard (SPEC §11). */
  Draft draft(Shard shard) {
    return draft(shard, deadlineMs);
  }

  /** {@link #draft(Shard)} with a deadline {@code deadlineMs} from now (the test seam of {@link #submit(Submission, long)}). */
  Draft draft(Shard shard, long deadlineMs) {
    String queryId = RedisKeys.queryId(shard);
    long now = System.currentTimeMillis();
    long deadline = (now + deadlineMs) / 1000 * 1000; // to the second, as the answer shows it
    JsonObject answer = new JsonObject()
        .put("queryId", queryId)
        .put("status", "ACCEPTED")
        .put("senderNumber", sender)
        .put("deadline", deadlineIso(deadline));
    return new Draft(queryId, now, deadline, answer);
  }

  /**
   * Runs a submission script ({@code script}, or {@code thenWait} on a borrowed connection followed by
   * WAIT when {@code redis.waitReplicas} is above 0) and turns its outcome into the answer or the refusal.
   */
  Future<JsonObject> store(RedisScript script, RedisScript thenWait, List<String> keys, List<String> args,
      JsonObject answer, String phone, String requestId, String client) {
    Future<Response> stored = replicaWait.enabled()
        ? replicaWait.write(ctx.redis, conn -> thenWait.run(conn, keys, args), QueryService::accepted, requestId)
        : script.run(keys, args);
    return stored.compose(r -> outcome(r, answer, phone, requestId, client));
  }

  /**
   * An accepted query's line: INFO for the first of each second (with how many were accepted since the
   * previous INFO line, logged at DEBUG only), DEBUG for the others. A line per query cost a fifth of
   * the front door's CPU at full load; yzt_api_requests_total{route="queries",outcome="ok"} counts
   * every one, and the pipeline's lines about the job carry the same request id and query id.
   * Used from this instance's event loop (a race between two threads would only move a line between levels).
   */
  private void logAccepted(String queryId, String phone, String requestId) {
    long second = System.currentTimeMillis() / 1000;
    if (second != infoSecond) {
      infoSecond = second;
      long unlogged = acceptedAtDebug;
      acceptedAtDebug = 0;
      LOG.atInfo().addKeyValue("requestId", requestId).addKeyValue("queryId", queryId)
          .addKeyValue("acceptedBeforeAtDebug", unlogged).log("query accepted for {}", Phone.mask(phone));
    } else {
      acceptedAtDebug++;
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("requestId", requestId).addKeyValue("queryId", queryId)
            .log("query accepted for {}", Phone.mask(phone));
      }
    }
  }

  private long infoSecond = -1;
  private long acceptedAtDebug;

  /** Only a new job needs to reach the replicas before it is answered; a replay or a refusal wrote nothing new. */
  static boolean accepted(Response r) {
    return "OK".equals(r.get(0).toString());
  }

  Future<JsonObject> outcome(Response r, JsonObject answer, String phone, String requestId, String client) {
    String outcome = r.get(0).toString();
    switch (outcome) {
      case "OK":
        logAccepted(answer.getString("queryId"), phone, requestId);
        return Future.succeededFuture(answer);
      case "REPLAY":
        return Future.succeededFuture(new JsonObject(r.get(1).toString()));
      case "SMS_CODE_INVALID":
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.sms_code_invalid")
            .log("security: wrong sms code for {}", Phone.mask(phone));
        return Future.failedFuture(Failures.of(ErrorCode.SMS_CODE_INVALID,
            new JsonObject().put(Failures.REMAINING_ATTEMPTS, r.get(1).toInteger())));
      case "RATE_LIMITED":
        String bucket = r.get(2).toString();
        long count = SecurityLog.shared().admit("security.rate_limited", client, bucket);
        if (count > 0) { // sampled (SPEC §10); the keyed client token, never the address
          LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.rate_limited")
              .addKeyValue("bucket", bucket).addKeyValue("client", client).addKeyValue("count", count)
              .log("security: per-IP limit {} hit, {} refusals", bucket, count);
        }
        return Future.failedFuture(Failures.retryAfter(ErrorCode.RATE_LIMITED, (r.get(1).toLong() + 999) / 1000));
      case "QUERY_LIMIT":
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.query_limit")
            .log("security: {} already queried in the window", Phone.mask(phone));
        return Future.failedFuture(Failures.retryAfter(ErrorCode.QUERY_LIMIT, (r.get(1).toLong() + 999) / 1000));
      case "SMS_CODE_EXPIRED":
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.sms_code_expired")
            .log("security: no live sms code for {}", Phone.mask(phone));
        return Failures.fail(ErrorCode.SMS_CODE_EXPIRED);
      default:
        return Failures.fail(ErrorCode.valueOf(outcome));
    }
  }

  /**
   * The answer first given for this idempotency key: {"found": false}, {"found": true, "answer": …},
   * or 409 IDEMPOTENCY_KEY_REUSED when the key came with another body; keys are per route (SPEC §13).
   */
  public Future<QueryReplay.Reply> replay(QueryReplay.Request request) {
    QueryKind kind = request.kind();
    String idempotencyKey = request.idempotencyKey();
    String bodyHash = request.bodyHash();
    return ctx.redis.send(Request.cmd(Command.HMGET).arg(ctx.keys.idempotency(kind, idempotencyKey)).arg("b").arg("r"))
        .timeout(ctx.redisTimeoutMs(), TimeUnit.MILLISECONDS)
        .compose(r -> {
          if (r.get(0) == null) {
            return Future.succeededFuture(QueryReplay.Reply.notFound());
          }
          if (!PersonalData.constantTimeEquals(r.get(0).toString(), ctx.personalData.bodyHash(bodyHash))) {
            return Failures.fail(ErrorCode.IDEMPOTENCY_KEY_REUSED);
          }
          return Future.succeededFuture(new QueryReplay.Reply(true, new JsonObject(r.get(1).toString())));
        });
  }

  public Future<JsonObject> status(String queryId) {
    String job = Ids.looksLikeQueryId(queryId) ? ctx.keys.job(queryId) : null;
    if (job == null) {
      return Failures.fail(ErrorCode.NOT_FOUND);
    }
    return ctx.redis.send(Request.cmd(Command.HMGET).arg(job).arg("st").arg("ca").arg("ua").arg("dl"))
        .timeout(ctx.redisTimeoutMs(), TimeUnit.MILLISECONDS)
        .compose(r -> {
          if (r.get(0) == null) {
            return Failures.fail(ErrorCode.NOT_FOUND);
          }
          return Future.succeededFuture(new JsonObject()
              .put("queryId", queryId)
              .put("status", r.get(0).toString())
              .put("createdAt", iso(r.get(1).toLong()))
              // a job that never moved has no 'ua': the submission writes only 'ca'
              .put("updatedAt", iso((r.get(2) != null ? r.get(2) : r.get(1)).toLong()))
              .put("deadline", iso(r.get(3).toLong())));
        });
  }

  /** The last deadline written out (one reference: safe from any thread): it changes once a second. */
  private record Written(long ms, String iso) {}

  private Written lastDeadline = new Written(Long.MIN_VALUE, "");

  String deadlineIso(long deadline) {
    Written last = lastDeadline;
    if (last.ms() != deadline) {
      last = new Written(deadline, iso(deadline));
      lastDeadline = last;
    }
    return last.iso();
  }

  static String iso(long epochMs) {
    return Instant.ofEpochMilli(epochMs).truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
