package org.yzt.frontdoor;

import org.yzt.store.JobFields;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.IdNumber;
import org.yzt.privacy.PersonName;
import org.yzt.privacy.Phone;
import org.yzt.store.RedisScript;
import org.yzt.store.Shard;
import org.yzt.contract.CardSubmission;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;
import org.yzt.contract.SmsCodeSend;
import org.yzt.runtime.AppContext;
import org.yzt.tracing.JobTrace;

/**
 * Phone-card query submission (SPEC §13), {@code yzt.cardquery.submit}: {"phone", "name", "idNumber",
 * "smsCode", "client", "idempotencyKey"?, "bodyHash"?, "requestId"?} → the answer of SPEC §2.3. The same
 * steps, each one slot, on standalone, Sentinel and Cluster (SPEC §11): the idempotency record of this
 * route; the per-IP step shared with the internet-account query (lua/query_ip.lua); the ID number's
 * window reserved provisionally in the slot of its own token ({@link CardIdWindow}); the number's step
 * (lua/card_submit.lua: the code of purpose cards, the number's phone-card window, the sealed job and its
 * stream entry, told whether the ID number's window refused); then the reservation confirmed, or given
 * back when the number's step refused. The name and the ID number are sealed with the job's id and the
 * field's name; they are never logged.
 */
public final class CardQueryService {
  private static final Logger LOG = LoggerFactory.getLogger(CardQueryService.class);

  private final AppContext ctx;
  private final QueryService accounts;
  private final RedisScript submitScript;
  private final RedisScript submitThenWaitScript;
  private final CardIdWindow idWindows;

  /** {@code accounts} lends its per-IP step, answer and outcome handling; the scripts are lua/card_submit.lua's. */
  public CardQueryService(AppContext ctx, QueryService accounts, RedisScript submitScript, RedisScript submitThenWaitScript) {
    this.ctx = ctx;
    this.accounts = accounts;
    this.submitScript = submitScript;
    this.submitThenWaitScript = submitThenWaitScript;
    this.idWindows = new CardIdWindow(ctx.vertx, ctx.config, ctx.redis, ctx.redisTimeoutMs());
  }

  /** Loads the ID-window scripts ahead of the first query. */
  public Future<Void> warm() {
    return idWindows.warm();
  }

  public Future<JsonObject> submit(CardSubmission s) {
    return submit(s, accounts.drafts::draft);
  }

  /** {@link #submit(CardSubmission)} with a deadline {@code deadlineMs} from now: the tests' seam, as QueryService's. */
  Future<JsonObject> submit(JsonObject s, long deadlineMs) {
    return submit(CardSubmission.fromJson(s), shard -> accounts.drafts.draft(shard, deadlineMs));
  }

  /** One card query, checked: what the steps need. */
  private record Card(String phone, String clientIp, String client, String requestId, String idemKey, String bodyHash,
      String idWindow, String codeHash, String sealed, Shard shard, QueryDrafts.Draft d) {}

  private Future<JsonObject> submit(CardSubmission s, java.util.function.Function<Shard, QueryDrafts.Draft> drafts) {
    String phone = Phone.normalize(s.phone());
    if (phone == null) {
      return Failures.fail(ErrorCode.INVALID_PHONE);
    }
    String name = PersonName.normalize(s.name());
    if (name == null) {
      return Failures.fail(ErrorCode.INVALID_NAME);
    }
    IdNumber.Checked id = IdNumber.check(s.idNumber());
    if (!id.valid()) {
      return Future.failedFuture(IdNumber.failure(id.refusal()));
    }
    String smsCode = s.smsCode();
    String clientIp = s.client();
    if (!Phone.isSmsCode(smsCode) || clientIp == null || clientIp.isEmpty() || clientIp.length() > 64) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    String idemKey = s.idempotencyKey();
    String bodyHash = s.bodyHash();
    if (idemKey != null && (bodyHash == null || bodyHash.isEmpty())) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    String requestId = s.requestId() == null ? "" : s.requestId();
    String token = ctx.keys.phoneToken(phone);
    Shard shard = ctx.keys.shardOfPhone(token);
    QueryDrafts.Draft d = drafts.apply(shard);
    String sealed = ctx.personalData.encrypt(d.queryId(), JobFields.PERSONAL,
        new JsonObject().put("phone", phone).put("name", name).put("idNumber", id.value()));
    Card c = new Card(phone, clientIp, ctx.keys.clientToken(clientIp), requestId, idemKey, bodyHash,
        ctx.keys.cardIdWindow(id.value()), ctx.personalData.secretHash(SmsCodeSend.PURPOSE, smsCode), sealed, shard, d);
    // the idempotency record first (SPEC §2.3), then the per-IP step, then the ID number's reservation
    Future<QueryReplay.Reply> earlier = idemKey != null
        ? accounts.idempotency.replay(new QueryReplay.Request(QueryKind.CARDS, idemKey, bodyHash))
        : Future.succeededFuture(QueryReplay.Reply.notFound());
    return earlier.compose(found -> found.found()
        ? Future.succeededFuture(found.answer())
        : accounts.perIp.take(clientIp, c.client(), d.now(), c.requestId()).compose(ip -> "OK".equals(ip.get(0).toString())
            ? idWindows.reserve(c.idWindow(), d.queryId()).compose(v -> numberStep(c, token, v))
            : accounts.outcome.of(ip, d, phone, c.requestId(), c.client())));
  }

  /** The number's step, told the ID window's verdict, then the reservation settled and the outcome answered. */
  private Future<JsonObject> numberStep(Card c, String token, CardIdWindow.Verdict idWindow) {
    String queryId = c.d().queryId();
    // lua/card_submit.lua's layout: the idempotency record's copy and its arguments, then the traceparent,
    // last, and each only when there is one
    List<String> keys = new ArrayList<>(5);
    keys.add(ctx.keys.smsCode(token));
    keys.add(ctx.keys.cardWindow(token));
    keys.add(c.shard().job(queryId));
    keys.add(c.shard().stream());
    List<String> args = new ArrayList<>(10);
    args.add(c.codeHash());
    args.add(queryId);
    args.add(RedisScript.millisText(c.d().now()));
    args.add(Long.toString(c.d().deadline()));
    args.add(c.sealed());
    args.add(c.requestId());
    args.add(Long.toString(idWindow.takenMs()));
    if (c.idemKey() != null) {
      keys.add(ctx.keys.idempotencyIn(QueryKind.CARDS, c.shard(), c.idemKey()));
      args.add(ctx.personalData.bodyHash(c.bodyHash()));
      args.add(c.d().answer().encode());
    }
    String traceparent = JobTrace.currentTraceparent();
    if (traceparent != null) {
      args.add(traceparent); // last of all, only when this request is traced (SPEC §11)
    }
    return accounts.shardWrite.run(submitScript, submitThenWaitScript, c.shard(), keys, args, c.requestId())
        .recover(err -> idWindow.reserved() ? afterFailedStep(c, err) : Future.failedFuture(err))
        .compose(r -> settle(c, idWindow, r).compose(v -> accounts.outcome.of(r, c.d(), c.phone(), c.requestId(), c.client())));
  }

  /**
   * The number's step failed (a timeout, a failover): it may have run all the same. If its job is there
   * the query was accepted and the reservation becomes the window; otherwise the reservation is kept (the
   * script may still run) and expires by itself. The caller gets the step's failure either way.
   */
  private Future<Response> afterFailedStep(Card c, Throwable err) {
    String queryId = c.d().queryId();
    return ctx.redis.send(Request.cmd(Command.EXISTS).arg(c.shard().job(queryId)))
        .timeout(ctx.redisTimeoutMs(), TimeUnit.MILLISECONDS)
        .compose(n -> n.toInteger() == 1 ? idWindows.confirm(c.idWindow(), queryId).mapEmpty() : Future.succeededFuture())
        .transform(ar -> Future.failedFuture(err));
  }

  /**
   * After the number's step: the reservation confirmed (accepted) or given back (refused), a wrong or
   * expired code counted against the client's address, an accepted idempotent query's record written.
   * Only the wrong-code count may fail the request: the others are after the query's fate was decided.
   */
  private Future<Void> settle(Card c, CardIdWindow.Verdict idWindow, Response r) {
    String result = r.get(0).toString();
    String queryId = c.d().queryId();
    boolean accepted = "OK".equals(result);
    Future<Void> window = !idWindow.reserved() ? Future.succeededFuture()
        : accepted ? idWindows.confirm(c.idWindow(), queryId).map(ok -> {
              if (!ok) { // the reservation outlived MARKER_MS and another query took the key meanwhile
                LOG.atWarn().addKeyValue("requestId", c.requestId()).addKeyValue("queryId", queryId)
                    .log("the ID number's window was taken by another query before this one was confirmed");
              }
              return (Void) null;
            })
        : idWindows.giveBack(c.idWindow(), queryId);
    window = window.recover(err -> {
      LOG.atWarn().addKeyValue("requestId", c.requestId()).addKeyValue("queryId", queryId)
          .log("the ID number's reservation was not settled ({}); it expires by itself", err.toString());
      return Future.succeededFuture();
    });
    if ("SMS_CODE_INVALID".equals(result) || "SMS_CODE_EXPIRED".equals(result)) {
      String now = RedisScript.millisText(c.d().now());
      return window.compose(v -> accounts.perIp.countWrongCode(c.client(), now));
    }
    if (accepted && c.idemKey() != null) {
      return window.compose(v -> accounts.idempotency.record(ctx.keys.idempotency(QueryKind.CARDS, c.idemKey()),
          c.bodyHash(), c.d().answer()).recover(err -> Future.succeededFuture()));
    }
    return window;
  }
}
