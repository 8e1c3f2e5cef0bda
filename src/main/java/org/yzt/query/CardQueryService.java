package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.yzt.common.IdNumber;
import org.yzt.common.PersonName;
import org.yzt.common.Phone;
import org.yzt.common.RedisKeys;
import org.yzt.common.RedisScript;
import org.yzt.common.Shard;
import org.yzt.contract.CardSubmission;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.QueryKind;
import org.yzt.contract.SmsCodeSend;
import org.yzt.runtime.AppContext;
import org.yzt.tracing.JobTrace;

/**
 * Phone-card query submission (SPEC §13), {@code yzt.cardquery.submit}: {"phone", "name", "idNumber",
 * "smsCode", "client", "idempotencyKey"?, "bodyHash"?, "requestId"?} → the answer of SPEC §2.3. One
 * script, one round trip (lua/card_submit.lua): the idempotency record of this route, the per-IP limits,
 * the code of purpose cards, the two phone-card windows (the ID number's, named by a keyed token, and
 * the number's), the sealed job and its stream entry succeed or fail together. The name and the ID
 * number are sealed with the job's id and the field's name; they are never logged.
 */
public final class CardQueryService {
  /** The job's kind field ({@link JobFields#KIND}) for a phone-card job. */
  public static final String KIND = "cards";

  private final AppContext ctx;
  private final QueryService accounts;
  private final RedisScript submitScript;
  private final RedisScript submitThenWaitScript;

  /** {@code accounts} lends its answer and outcome handling; the scripts are lua/card_submit.lua's. */
  public CardQueryService(AppContext ctx, QueryService accounts, RedisScript submitScript, RedisScript submitThenWaitScript) {
    this.ctx = ctx;
    this.accounts = accounts;
    this.submitScript = submitScript;
    this.submitThenWaitScript = submitThenWaitScript;
  }

  public Future<JsonObject> submit(CardSubmission s) {
    return submit(s, accounts::draft);
  }

  /** {@link #submit(CardSubmission)} with a deadline {@code deadlineMs} from now: the tests' seam, as QueryService's. */
  Future<JsonObject> submit(JsonObject s, long deadlineMs) {
    return submit(CardSubmission.fromJson(s), shard -> accounts.draft(shard, deadlineMs));
  }

  private Future<JsonObject> submit(CardSubmission s, java.util.function.Function<Shard, QueryService.Draft> drafts) {
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
    String client = ctx.keys.clientToken(clientIp);
    Shard shard = ctx.keys.shardOfPhone(token);
    QueryService.Draft d = drafts.apply(shard);
    String sealed = ctx.personalData.encrypt(d.queryId(), JobFields.PERSONAL,
        new JsonObject().put("phone", phone).put("name", name).put("idNumber", id.value()));
    // lua/card_submit.lua's layout: the idempotency key and its arguments last, and only when there is one
    List<String> keys = new ArrayList<>(8);
    keys.add(ctx.keys.smsCode(token));
    keys.add(ctx.keys.cardWindow(token));
    keys.add(ctx.keys.cardIdWindow(id.value()));
    keys.add(ctx.keys.job(d.queryId()));
    keys.add(shard.stream());
    keys.add(ctx.keys.queryHitsOf(client));
    keys.add(ctx.keys.codeFailuresOf(client));
    List<String> args = new ArrayList<>(8);
    args.add(ctx.personalData.secretHash(SmsCodeSend.PURPOSE, smsCode));
    args.add(d.queryId());
    args.add(RedisScript.millisText(d.now()));
    args.add(Long.toString(d.deadline()));
    args.add(sealed);
    args.add(requestId);
    if (idemKey != null) {
      keys.add(ctx.keys.idempotency(QueryKind.CARDS, idemKey));
      args.add(ctx.personalData.bodyHash(bodyHash));
      args.add(d.answer().encode());
    }
    String traceparent = JobTrace.currentTraceparent();
    if (traceparent != null) {
      args.add(traceparent); // last of all, only when this request is traced (SPEC §11)
    }
    return accounts.store(submitScript, submitThenWaitScript, keys, args, d.answer(), phone, requestId, client);
  }
}
