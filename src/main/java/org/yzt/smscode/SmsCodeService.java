package org.yzt.smscode;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.Ids;
import org.yzt.privacy.Phone;
import org.yzt.config.RedisConfig;
import org.yzt.store.RedisScript;
import org.yzt.privacy.SecurityLog;
import org.yzt.config.Limit;
import org.yzt.config.SmsCodeConfig;
import org.yzt.config.SmsConfig;
import org.yzt.contract.Bus;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.PhoneNumber;
import org.yzt.contract.QueryKind;
import org.yzt.contract.SmsClient;
import org.yzt.contract.SmsCodeSend;
import org.yzt.contract.SmsSend;
import org.yzt.runtime.AppContext;

/**
 * One-time codes of SPEC §2.2 and §10: the pause switch, the per-number checks (query window,
 * resend cooldown, daily cap), the send budgets (number block, whole service) and the new code's
 * hash are one atomic script; then the code is texted. A code whose text the gateway definitely did
 * not send is taken back, so the person is not locked out by a cooldown for a text that never came;
 * after a doubtful outcome (a timeout) everything stays counted, as the text may have gone out.
 */
public final class SmsCodeService {
  private static final Logger LOG = LoggerFactory.getLogger(SmsCodeService.class);
  /** The field of the code hash {@code yzt:code:<token>} that holds a code of purpose accounts (lua/query_submit.lua reads it). */
  public static final String ACCOUNTS_FIELD = "h";
  /** The field that holds a code of purpose cards (lua/card_submit.lua reads it). */
  public static final String CARDS_FIELD = "c";
  /** Retry-After while codes are paused with no end set: operators resume by hand, clients come back later. */
  static final long OPEN_PAUSE_RETRY_MS = 300_000;
  /** The daily cap's window (SPEC §2.2: codes per number per day). */
  private static final long DAY_MS = 86_400_000L;

  private final AppContext ctx;
  private final RedisScript issue;
  private final RedisScript undo;
  private final RedisScript budget;
  private final RedisScript budgetUndo;
  /** Parts of the global send budget: one (exact) on standalone and Sentinel, one per shard on a Cluster. */
  private final int globalParts;
  private final long ttlMs;
  private final long resendMs;
  private final int maxPerDay;
  private final int maxAttempts;
  private final long deliverWithinMs;
  private final SmsClient sms;
  private final Limit perBlock;
  private final Limit global;

  /** Loads its two scripts (lua/sms_code_issue.lua with this node's limits as constants): call at startup. */
  public SmsCodeService(AppContext ctx) {
    this.ctx = ctx;
    SmsCodeConfig c = SmsCodeConfig.from(ctx.config);
    this.ttlMs = c.ttlSeconds() * 1000;
    this.resendMs = c.resendSeconds() * 1000;
    this.maxPerDay = c.maxPerDay();
    this.maxAttempts = c.maxAttempts();
    this.deliverWithinMs = SmsConfig.from(ctx.section("sms")).defaultDeliverWithinMs();
    this.sms = new SmsClient(new Bus(ctx.vertx));
    this.perBlock = Limit.at(ctx.config, "smsBudget", "perBlock");
    this.global = Limit.at(ctx.config, "smsBudget", "global");
    this.globalParts = globalParts(ctx);
    this.issue = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), codeConstants(), "lib/hit_log", "lib/sms_code",
        "sms_code_issue");
    this.undo = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "sms_code_undo");
    this.budget = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), budgetConstants(), "lib/hit_log", "lib/sms_budget",
        "sms_budget");
    this.budgetUndo = RedisScript.load(ctx.redis, ctx.redisTimeoutMs(), "lib/hit_log", "sms_budget_undo");
    if (ctx.metrics != null) {
      for (String scope : new String[] {"block", "global"}) {
        ctx.metrics.counter("yzt.sms.budget.refusals", "scope", scope); // at 0, so the dashboard draws it from the start
      }
    }
  }

  /** lib/sms_code.lua's constants: this node's code settings. */
  Map<String, Long> codeConstants() {
    return Map.of("RESEND_MS", resendMs, "DAY_MS", DAY_MS, "MAX_PER_DAY", (long) maxPerDay,
        "CODE_TTL_MS", ttlMs, "MAX_ATTEMPTS", (long) maxAttempts, "OPEN_PAUSE_RETRY_MS", OPEN_PAUSE_RETRY_MS);
  }

  /** lib/sms_budget.lua's constants: the block's budget and this node's part of the global one. */
  Map<String, Long> budgetConstants() {
    return Map.of("BLOCK_WINDOW_MS", perBlock.windowMs(), "BLOCK_MAX", (long) perBlock.max(),
        "GLOBAL_WINDOW_MS", global.windowMs(), "GLOBAL_MAX", partMax(global.max(), globalParts));
  }

  /** Loads the scripts into Redis ahead of the first code. */
  public Future<Void> warm() {
    return Future.all(issue.warm(), undo.warm(), budget.warm(), budgetUndo.warm()).mapEmpty();
  }

  /**
   * One part on standalone and Sentinel (the budget is exact); on a Cluster one per shard, at most
   * max + overshoot of them, so that no single key takes every code (SPEC §11).
   */
  static int globalParts(AppContext ctx) {
    if (RedisConfig.from(ctx.config).type() != RedisConfig.Type.CLUSTER) {
      return 1;
    }
    int max = Limit.at(ctx.config, "smsBudget", "global").max();
    return (int) Math.max(1, Math.min(ctx.keys.shardCount(), max + overshoot(max)));
  }

  /** What SPEC §11 lets a Cluster's global budget overshoot by: 1 % of its max or 16 texts, the larger. */
  static long overshoot(long max) {
    return Math.max(max / 100, 16);
  }

  /**
   * The share of {@code max} each of {@code parts} parts allows: their sum is at most max + overshoot,
   * and exactly max with one part.
   */
  static long partMax(long max, int parts) {
    return parts == 1 ? max : (max + overshoot(max)) / parts;
  }

  /** The hash field a code of {@code purpose} lives in: each query looks only at its own. */
  public static String codeField(QueryKind purpose) {
    return purpose == QueryKind.CARDS ? CARDS_FIELD : ACCOUNTS_FIELD;
  }

  /**
   * Texts a new code for a query of the request's purpose (SPEC §2.2): the window checked is that
   * purpose's; the cooldown, the daily count and the budgets are the number's whatever the purpose;
   * the code replaces any live one.
   */
  public Future<SmsCodeSend.Reply> send(SmsCodeSend.Request request) {
    Draft d = draft(request.phone().digits(), request.purpose());
    String requestId = request.requestId();
    // the budgets first, reserved in their own slot; the number's step then, which alone decides
    // when it refuses (its refusals come before the budgets' in SPEC §2.2's order)
    return budget.run(d.budgetKeys(), List.of(d.now(), d.member())).compose(b -> {
      boolean reserved = "OK".equals(b.get(0).toString());
      return issue.run(d.numberKeys(), List.of(d.now(), d.codeHash(), reserved ? "0" : "1", d.field(), d.otherField()))
          .compose(r -> {
            String outcome = r.get(0).toString();
            if (!"OK".equals(outcome)) {
              Future<Void> givenBack = reserved
                  ? budgetUndo.run(d.budgetKeys(), List.of(d.member(), d.now())).<Void>mapEmpty()
                      .recover(err -> Future.succeededFuture())
                  : Future.succeededFuture();
              return givenBack.compose(v -> refused(outcome, r, d.phone(), requestId, request.clientToken()));
            }
            if (!reserved) {
              return refused(b.get(0).toString(), b, d.phone(), requestId, request.clientToken());
            }
            return issued(d, requestId);
          });
    });
  }

  /**
   * A new code for {@code phone} and what its scripts need: the code and its keyed hash, the number's
   * keys (lib/sms_code.lua's K), the budgets' keys, the time and the text's member in the global budget.
   */
  Draft draft(String phone, QueryKind purpose) {
    String token = ctx.keys.phoneToken(phone);
    String code = newCode();
    String blockToken = ctx.keys.blockToken(phone);
    List<String> budgetKeys = List.of(ctx.keys.smsBudgetBlock(blockToken),
        ctx.keys.smsBudgetGlobal(blockToken, globalParts));
    List<String> numberKeys = List.of(ctx.keys.queryWindow(purpose, token), ctx.keys.smsCooldown(token),
        ctx.keys.smsDaily(token), ctx.keys.smsCode(token), ctx.keys.shardOfPhone(token).codesPaused());
    return new Draft(phone, code, ctx.personalData.secretHash(SmsCodeSend.PURPOSE, code), Ids.hex(8),
        RedisScript.millisText(ctx.clock.millis()), codeField(purpose),
        purpose == QueryKind.CARDS ? ACCOUNTS_FIELD : CARDS_FIELD, purpose, numberKeys, budgetKeys);
  }

  /** A code drawn for one request (see {@link #draft}), stored once a script accepted it, then texted. */
  record Draft(String phone, String code, String codeHash, String member, String now, String field, String otherField,
      QueryKind purpose, List<String> numberKeys, List<String> budgetKeys) {}

  /** Texts a code a script stored; takes it back, budgets included, when the text definitely did not go out. */
  Future<SmsCodeSend.Reply> issued(Draft c, String requestId) {
    List<String> numberKeys = c.numberKeys();
    LOG.atInfo().addKeyValue("requestId", requestId).addKeyValue("purpose", c.purpose().wire)
        .log("sms code issued for {}", Phone.mask(c.phone()));
    return text(c.phone(), codeText(c.code(), ttlMs / 60_000, c.purpose()), requestId)
        .map(v -> new SmsCodeSend.Reply(ttlMs / 1000, resendMs / 1000))
        .recover(err -> {
          if (!SmsSend.Failure.nothingSent(err)) {
            // SPEC §10: the text may have gone out, so the cooldown and the daily count stay
            LOG.atWarn().addKeyValue("requestId", requestId)
                .log("sms code for {}: gateway outcome unknown; cooldown and daily count kept", Phone.mask(c.phone()));
            return Future.failedFuture(Failures.retryAfter(ErrorCode.SERVICE_UNAVAILABLE, resendMs / 1000));
          }
          LOG.atWarn().addKeyValue("requestId", requestId)
              .log("sms code for {} refused by the gateway; taking it back", Phone.mask(c.phone()));
          return Future.join(
                  undo.run(List.of(numberKeys.get(1), numberKeys.get(2), numberKeys.get(3)),
                      List.of(c.codeHash(), c.now(), c.field())),
                  budgetUndo.run(c.budgetKeys(), List.of(c.member(), c.now())))
              .transform(ignored -> Failures.fail(ErrorCode.SERVICE_UNAVAILABLE));
        });
  }


  /** A refusal by the issue script: paused (503), a per-number limit or a send budget (429), with Retry-After. */
  <T> Future<T> refused(String outcome, Response r, String phone, String requestId, String clientToken) {
    ErrorCode code = ErrorCode.valueOf(outcome);
    long retrySeconds = (r.get(1).toLong() + 999) / 1000;
    if (code == ErrorCode.SERVICE_UNAVAILABLE) {
      LOG.atDebug().addKeyValue("requestId", requestId).log("sms code refused: code texts are paused");
    } else if (code == ErrorCode.SMS_BUDGET_EXCEEDED) {
      String scope = r.get(2).toString();
      if (ctx.metrics != null) {
        ctx.metrics.counter("yzt.sms.budget.refusals", "scope", scope).increment();
      }
      // sampled per client and bucket (SPEC §10): a pumping run is refused thousands of times a
      // minute, yet each client refused gets a line of its own; the token is keyed, never the address
      String client = clientToken == null ? "-" : clientToken;
      long count = SecurityLog.shared().admit("security.sms_budget_exceeded", client, scope);
      if (count > 0) {
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.sms_budget_exceeded")
            .addKeyValue("scope", scope).addKeyValue("client", client).addKeyValue("count", count)
            .log("security: sms code refused for {}: {} send budget spent, {} refusals", Phone.mask(phone), scope, count);
      }
    } else {
      LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security." + outcome.toLowerCase(Locale.ROOT))
          .log("security: sms code refused for {}: {}", Phone.mask(phone), outcome);
    }
    return Future.failedFuture(Failures.retryAfter(code, retrySeconds));
  }

  private Future<Void> text(String phone, String text, String requestId) {
    return sms.send(new SmsSend.Request("code-" + Ids.random128(), new PhoneNumber(phone), text, deliverWithinMs, requestId),
        deliverWithinMs).mapEmpty();
  }

  /** The code text of SPEC §6 for a code of purpose accounts. */
  public static String codeText(String code, long minutes) {
    return codeText(code, minutes, QueryKind.ACCOUNTS);
  }

  /** The code text of SPEC §6: what the code is for is named by its purpose. */
  public static String codeText(String code, long minutes, QueryKind purpose) {
    return "【一证通查】您的验证码为" + code + "，" + minutes + "分钟内有效，仅用于" + purpose.usedFor + "查询，请勿告知他人。";
  }

  private static String newCode() {
    int n = Ids.random().nextInt(1_000_000);
    return String.format("%06d", n);
  }
}
