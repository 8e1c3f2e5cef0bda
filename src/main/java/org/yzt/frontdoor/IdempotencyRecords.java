package org.yzt.frontdoor;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.privacy.PersonalData;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;
import org.yzt.runtime.AppContext;

/**
 * The idempotency replay of both query routes (SPEC §2.3, §13): the record in its own slot, looked up
 * first, written once the number's step has accepted the query. It keeps only a keyed hash of the body
 * digest the caller sends ({@link PersonalData#bodyHash}), never the digest itself.
 */
final class IdempotencyRecords {
  static final long TTL_MS = 24L * 3600 * 1000;

  private final AppContext ctx;

  IdempotencyRecords(AppContext ctx) {
    this.ctx = ctx;
  }

  /**
   * The answer first given for this idempotency key: {"found": false}, {"found": true, "answer": …},
   * or 409 IDEMPOTENCY_KEY_REUSED when the key came with another body; keys are per route (SPEC §13).
   */
  Future<QueryReplay.Reply> replay(QueryReplay.Request request) {
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

  /**
   * The idempotency record in its own slot, looked up first by later repeats (from any address, for any
   * number): written once the number's step has accepted the query and kept its own copy.
   */
  Future<Void> record(String key, String bodyHash, JsonObject answer) {
    return ctx.redis.batch(List.of(
            Request.cmd(Command.HSET).arg(key).arg("b").arg(ctx.personalData.bodyHash(bodyHash)).arg("r").arg(answer.encode()),
            Request.cmd(Command.PEXPIRE).arg(key).arg(TTL_MS)))
        .timeout(ctx.redisTimeoutMs(), TimeUnit.MILLISECONDS).mapEmpty();
  }
}
