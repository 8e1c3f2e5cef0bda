package org.yzt.frontdoor;

import org.yzt.config.RedisConfig;
import org.yzt.store.JobFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.yzt.privacy.Ids;
import org.yzt.privacy.PersonalData;
import org.yzt.privacy.Phone;
import org.yzt.store.RedisScript;
import org.yzt.store.Shard;
import org.yzt.config.LimitsConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.config.SmsConfig;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;
import org.yzt.contract.SmsCodeSend;
import org.yzt.contract.Submission;
import org.yzt.runtime.AppContext;
import org.yzt.tracing.JobTrace;

/**
 * Query submission and status (SPEC §2.3, §2.4). Submission is steps of one slot each (SPEC §11): the
 * idempotency record ({@link IdempotencyRecords}), the per-IP step ({@link PerIpStep}), then the number's step, where the code check, the number's
 * window, the encrypted job and its stream entry succeed or fail together. The idempotency record keeps only a keyed hash of the body digest the
 * caller sends ({@link PersonalData#bodyHash}), never the digest itself; personal data is sealed for
 * the job's id.
 */
public final class QueryService {
  static final long RECORD_KEPT_AFTER_DEADLINE_MS = 7L * 24 * 3600 * 1000;

  private final AppContext ctx;
  private final RedisScript submitScript;
  private final RedisScript submitThenWaitScript;
  /** The parts both query routes share ({@link CardQueryService} borrows them). */
  final QueryDrafts drafts;
  final IdempotencyRecords idempotency;
  final PerIpStep perIp;
  final ShardWrite shardWrite;
  final SubmissionOutcome outcome = new SubmissionOutcome();
  /** lua/query_whole.lua (standalone and Sentinel), or null on a Redis Cluster: steps of one slot each. */
  private final RedisScript wholeScript;
  private final RedisScript wholeThenWaitScript;

  /**
   * {@code submitScript} runs a submission; {@code submitThenWaitScript}, the same script with its own
   * timeout, runs it on the connection borrowed for WAIT when {@code redis.waitReplicas} is above 0.
   * Both are {@link #submitScript}s.
   */
  public QueryService(AppContext ctx, RedisScript submitScript, RedisScript submitThenWaitScript) {
    this.ctx = ctx;
    this.submitScript = submitScript;
    this.submitThenWaitScript = submitThenWaitScript;
    if (RedisConfig.from(ctx.config).type() == RedisConfig.Type.CLUSTER) {
      this.wholeScript = null;
      this.wholeThenWaitScript = null;
    } else {
      // standalone and Sentinel: the per-IP step, the site and the number's step in one script, on the
      // same connections as the number's step alone
      Map<String, Long> constants = new HashMap<>(submitConstants(ctx.config));
      constants.putAll(PerIpStep.wholeConstants(ctx.config));
      String[] parts = {"lib/hit_log", "lib/query_ip", "lib/query_submit", "query_whole"};
      this.wholeScript = submitScript.sibling(constants, parts);
      this.wholeThenWaitScript = submitThenWaitScript.sibling(constants, parts);
    }
    this.drafts = new QueryDrafts(PipelineConfig.from(ctx.section("pipeline")).deadlineMs(),
        SmsConfig.from(ctx.section("sms")).sender(), ctx.clock);
    this.idempotency = new IdempotencyRecords(ctx);
    this.perIp = new PerIpStep(ctx);
    this.shardWrite = new ShardWrite(ctx);
  }

  /** Loads the per-IP scripts ahead of the first query (the submission scripts are warmed by their owner). */
  public Future<Void> warm() {
    return wholeScript == null ? perIp.warm() : Future.all(perIp.warm(), wholeScript.warm()).mapEmpty();
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
    // the per-IP limits are lua/query_ip.lua's, a step of their own (SPEC §11)
    return kind == QueryKind.CARDS ? RedisScript.load(redis, timeoutMs, submitConstants(config), "card_submit")
        : RedisScript.load(redis, timeoutMs, submitConstants(config), "lib/query_submit", "query_submit");
  }

  /** The number's step's constants: this node's query window, idempotency TTL and job record TTL. */
  static Map<String, Long> submitConstants(JsonObject config) {
    long windowMs = LimitsConfig.from(config).queryWindowSeconds() * 1000;
    long deadlineMs = PipelineConfig.from(config.getJsonObject("pipeline", new JsonObject())).deadlineMs();
    return Map.of("WINDOW_MS", windowMs, "IDEMPOTENCY_TTL_MS", IdempotencyRecords.TTL_MS,
        "JOB_TTL_MS", deadlineMs + RECORD_KEPT_AFTER_DEADLINE_MS);
  }

  public Future<JsonObject> submit(Submission s) {
    return submit(s, drafts.deadlineMs());
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
    QueryDrafts.Draft d = drafts.draft(shard, deadlineMs);
    String nowText = RedisScript.millisText(d.now());
    // the idempotency record first (SPEC §2.3: before anything else), then the per-IP step in the slot of
    // the client's address, then the number's atomic step in the slot of its shard (SPEC §11)
    Future<QueryReplay.Reply> earlier = idempotent
        ? idempotency.replay(new QueryReplay.Request(QueryKind.ACCOUNTS, s.idempotencyKey(), s.bodyHash())) : NOT_FOUND;
    return earlier.compose(found -> {
      if (found.found()) {
        return Future.succeededFuture(found.answer());
      }
      if (wholeScript != null) {
        // standalone and Sentinel: one script; it counted a wrong code against the client itself
        String siteToken = perIp.siteToken(s.client());
        return numberStep(s, phone, idLast6, token, shard, d, perIp.wholeKeys(client, siteToken),
            siteToken == null ? "0" : "1")
            .compose(r -> afterNumberStep(r, d, phone, s,
                r.size() > 3 && "site".equals(r.get(3).toString()) ? siteToken : client, null));
      }
      return perIp.take(s.client(), client, d.now(), s.requestId())
          .compose(ip -> !"OK".equals(ip.get(0).toString())
              ? outcome.of(ip, d, phone, s.requestId(), client)
              : numberStep(s, phone, idLast6, token, shard, d, List.of(), null)
                  .compose(r -> afterNumberStep(r, d, phone, s, client, nowText)));
    });
  }

  private static final Future<QueryReplay.Reply> NOT_FOUND = Future.succeededFuture(QueryReplay.Reply.notFound());

  /**
   * The number's step (lua/query_submit.lua), or with {@code wholeKeys} and {@code hasSite} the whole
   * submission (lua/query_whole.lua: those keys and that flag before the number's step's own).
   */
  private Future<Response> numberStep(Submission s, String phone, String idLast6, String token, Shard shard,
      QueryDrafts.Draft d, List<String> wholeKeys, String hasSite) {
    String queryId = d.queryId();
    // {"phone":…,"idLast6":…} as JsonObject.encode writes it: both values are digits (and X), nothing to escape
    String sealed = ctx.personalData.encrypt(queryId, JobFields.PERSONAL, "{\"phone\":\"" + phone + "\",\"idLast6\":\"" + idLast6 + "\"}");
    // lua/query_submit.lua's layout: the idempotency record's copy and its arguments, then the traceparent,
    // last, and each only when there is one
    List<String> keys = new ArrayList<>(8);
    keys.addAll(wholeKeys);
    keys.add(ctx.keys.smsCode(token));
    keys.add(ctx.keys.queryWindow(token));
    keys.add(shard.job(queryId));
    keys.add(shard.stream());
    List<String> args = new ArrayList<>(10);
    if (hasSite != null) {
      args.add(hasSite);
    }
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
    return hasSite != null ? shardWrite.run(wholeScript, wholeThenWaitScript, shard, keys, args, s.requestId())
        : shardWrite.run(submitScript, submitThenWaitScript, shard, keys, args, s.requestId());
  }

  /**
   * The number's step's outcome: a wrong or expired code is counted against the client's address (in
   * its slot; {@code now} null: the whole script counted it), an accepted idempotent query's record is
   * written in its own slot, and then as {@link SubmissionOutcome} ({@code client}: the keyed token of
   * the tier that refused, when a per-IP limit did).
   */
  private Future<JsonObject> afterNumberStep(Response r, QueryDrafts.Draft d, String phone, Submission s, String client,
      String now) {
    String result = r.get(0).toString();
    Future<Void> first;
    if (now != null && ("SMS_CODE_INVALID".equals(result) || "SMS_CODE_EXPIRED".equals(result))) {
      first = perIp.countWrongCode(client, now);
    } else if ("OK".equals(result) && s.idempotencyKey() != null) {
      // the number's copy already answers a repeat for this number; a failure here is not the client's
      first = idempotency.record(ctx.keys.idempotency(s.idempotencyKey()), s.bodyHash(), d.answer())
          .recover(err -> Future.succeededFuture());
    } else {
      first = Future.succeededFuture();
    }
    return first.compose(v -> outcome.of(r, d, phone, s.requestId(), client));
  }

  /**
   * The answer first given for this idempotency key: {"found": false}, {"found": true, "answer": …},
   * or 409 IDEMPOTENCY_KEY_REUSED when the key came with another body; keys are per route (SPEC §13).
   */
  public Future<QueryReplay.Reply> replay(QueryReplay.Request request) {
    return idempotency.replay(request);
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
              .put("createdAt", QueryDrafts.iso(r.get(1).toLong()))
              // a job that never moved has no 'ua': the submission writes only 'ca'
              .put("updatedAt", QueryDrafts.iso((r.get(2) != null ? r.get(2) : r.get(1)).toLong()))
              .put("deadline", QueryDrafts.iso(r.get(3).toLong())));
        });
  }
}
