package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.yzt.common.QueryKind;
import org.yzt.common.RedisScript;
import org.yzt.common.Replies;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;

/**
 * Query submission and status on the event bus:
 * {@code yzt.query.submit} {"phone","idLast6","smsCode","client","idempotencyKey"?,"bodyHash"?,"requestId"?} →
 * {"queryId","status","senderNumber","deadline"}; {@code yzt.query.replay} {"idempotencyKey","bodyHash"} →
 * {"found", "answer"?} ({"kind": "cards"} for the keys of the phone-card route); {@code yzt.cardquery.submit}
 * (see {@link CardQueryService}); {@code yzt.query.status} {"queryId"} → the status document or 404.
 * Submissions go on one multiplexed Redis connection per instance, used from this instance's context.
 */
public final class QueryVerticle extends VerticleBase {
  private final AppContext ctx;

  public QueryVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  /** This instance's own connection for submissions (see {@link MultiplexedRedis}): no pool borrow per query. */
  private MultiplexedRedis submissions;

  @Override
  public Future<?> start() {
    submissions = new MultiplexedRedis(ctx.redis, ctx.redisTimeoutMs());
    // MultiplexedRedis bounds every command by the timeout itself (0: no second timer)
    RedisScript submit = QueryService.submitScript(ctx.config, submissions, 0);
    // with redis.waitReplicas, a submission borrows a pooled connection for its WAIT, bounded here
    RedisScript submitThenWait = QueryService.submitScript(ctx.config, ctx.redis, ctx.redisTimeoutMs());
    QueryService service = new QueryService(ctx, submit, submitThenWait);
    RedisScript cardSubmit = QueryService.submitScript(ctx.config, submissions, 0, QueryKind.CARDS);
    CardQueryService cards = new CardQueryService(ctx, service, cardSubmit,
        QueryService.submitScript(ctx.config, ctx.redis, ctx.redisTimeoutMs(), QueryKind.CARDS));
    var bus = vertx.eventBus();
    return Future.all(java.util.List.of(ShardLayout.checkOnce(ctx), submit.warm(), service.warm(), cardSubmit.warm(), cards.warm(),
        bus.<JsonObject>consumer(Addresses.CARDQUERY_SUBMIT, Replies.handle(cards::submit)).completion(),
        bus.<Object>consumer(Addresses.QUERY_SUBMIT,
            Replies.handleAny(body -> service.submit(Submission.of(body)))).completion(),
        bus.<JsonObject>consumer(Addresses.QUERY_REPLAY,
            Replies.handle(body -> service.replay(QueryKind.ofPurpose(body.getString("kind")),
                body.getString("idempotencyKey"), body.getString("bodyHash")))).completion(),
        bus.<JsonObject>consumer(Addresses.QUERY_STATUS,
            Replies.handle(body -> service.status(body.getString("queryId")))).completion()));
  }

  @Override
  public Future<?> stop() {
    return submissions == null ? Future.succeededFuture() : submissions.close().recover(err -> Future.succeededFuture());
  }
}
