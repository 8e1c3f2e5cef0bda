package org.yzt.frontdoor;

import org.yzt.runtime.ShardLayout;
import org.yzt.store.MultiplexedRedis;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import org.yzt.store.RedisScript;
import org.yzt.bus.Replies;
import org.yzt.contract.Addresses;
import org.yzt.contract.CardSubmission;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryReplay;
import org.yzt.contract.QueryStatus;
import org.yzt.contract.Submission;
import org.yzt.runtime.AppContext;

/**
 * Query submission ({@link Submission}, and {@code yzt.cardquery.submit}: {@link CardQueryService}), replay
 * ({@link QueryReplay}) and status ({@link QueryStatus}) on the event bus.
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
        bus.<Object>consumer(CardSubmission.ADDRESS,
            Replies.handleAny(body -> cards.submit(CardSubmission.of(body)))).completion(),
        bus.<Object>consumer(Addresses.QUERY_SUBMIT,
            Replies.handleAny(body -> service.submit(Submission.of(body)))).completion(),
        bus.<Object>consumer(QueryReplay.ADDRESS,
            Replies.handleAny(body -> service.replay(QueryReplay.Request.of(body)).map(QueryReplay.Reply::toJson))).completion(),
        bus.<Object>consumer(QueryStatus.ADDRESS,
            Replies.handleAny(body -> service.status(QueryStatus.Request.of(body).queryId()))).completion()));
  }

  @Override
  public Future<?> stop() {
    return submissions == null ? Future.succeededFuture() : submissions.close().recover(err -> Future.succeededFuture());
  }
}
