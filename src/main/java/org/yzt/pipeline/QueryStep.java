package org.yzt.pipeline;

import org.yzt.store.JobFields;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;
import org.yzt.contract.CarrierCards;
import org.yzt.contract.CarrierClient;
import org.yzt.contract.EnterpriseClient;
import org.yzt.contract.EnterpriseCount;
import org.yzt.contract.FailureKind;
import org.yzt.contract.PhoneNumber;
import org.yzt.pipeline.JobDispatcher.Outcome;

/**
 * QUERYING: asks every peer not answered yet — the enterprises for an internet-account job, every
 * configured carrier ({@code yzt.carrier.cardCount}) for a phone-card job — in parallel, each on its own
 * until it answers, fails for good (it reads 暂无法查询) or the deadline passes; every outcome is stored
 * as it arrives ({@link OutcomeWriter}), so a resumed job never asks a peer whose answer is stored. The
 * step parks when some peer's next retry is far away, and moves to NOTIFYING when none is left to ask.
 */
final class QueryStep {
  /**
   * One peer to ask: the job field its outcome goes in, its client's request and send timeout, and what
   * of its answer is sealed on the job ({@code stored}) and kept in memory for the text ({@code remember}).
   */
  record Peer<R>(String id, String field, Supplier<Future<R>> request, long timeoutMs,
      Function<R, JsonObject> stored, Consumer<R> remember) {}

  Future<Outcome> run(JobPass run) {
    long deadline = run.job.deadline();
    run.beginStage(JobState.QUERYING);
    List<Peer<?>> missing = new ArrayList<>();
    for (Peer<?> p : run.cards ? carriers(run) : enterprises(run)) {
      if (run.job.fields.get(p.field()) == null) {
        missing.add(p); // answered (or failed) before: never asked again
      }
    }
    run.outcomes.expect(missing.size());
    List<Future<RetryOutcome<Void>>> asks = new ArrayList<>();
    for (Peer<?> p : missing) {
      asks.add(ask(run, p, deadline));
    }
    return Future.join(asks).transform(ignored -> {
      long wakeAt = Long.MAX_VALUE;
      int maxAttempts = 0;
      for (Future<RetryOutcome<Void>> f : asks) {
        if (f.failed()) {
          return Future.failedFuture(f.cause()); // Redis unreachable: leave the job to be resumed
        }
        if (f.result() instanceof RetryOutcome.Park<Void> p) {
          wakeAt = Math.min(wakeAt, p.wakeAt());
          maxAttempts = Math.max(maxAttempts, p.attempts());
        }
      }
      if (wakeAt != Long.MAX_VALUE) {
        return run.park(new RetryOutcome.Park<>(wakeAt, maxAttempts));
      }
      run.attempts = 0;
      run.endStage();
      // DEBUG: "job finished" follows, and each peer that failed or ran out of time has its own line
      run.debug().log("every peer answered, failed or ran out of time");
      JobState ended = run.outcomes.ended();
      Future<JobState> next = ended != null ? Future.succeededFuture(ended) : run.tools.store().endQuerying(run.entry);
      return next.compose(st -> {
        if (st == JobState.NOTIFYING && !run.answersInSync) {
          return run.reloadAndStep();
        }
        return run.continueFrom(st);
      });
    });
  }

  /** The enterprises of an internet-account job: account counts by app. */
  private static List<Peer<?>> enterprises(JobPass run) {
    List<Peer<?>> out = new ArrayList<>();
    StepServices t = run.tools;
    PhoneNumber phone = new PhoneNumber(run.phone);
    for (EnterpriseConfig e : t.enterprises()) {
      EnterpriseCount.Request request = new EnterpriseCount.Request(phone, run.requestId(e.id()));
      out.add(new Peer<EnterpriseCount.Reply>(e.id(), JobFields.answer(e.id()),
          () -> t.enterprise().count(e.id(), e.timeoutMs(), request), EnterpriseClient.sendTimeoutMs(e.timeoutMs()),
          answer -> {
            JsonObject sealed = new JsonObject();
            counts(e, answer).forEach(sealed::put);
            return new JsonObject().put("a", sealed);
          },
          answer -> run.answers.put(e.id(), counts(e, answer))));
    }
    return out;
  }

  /** Every configured carrier, for a phone-card job: the cards it has registered to the ID number. */
  private static List<Peer<?>> carriers(JobPass run) {
    List<Peer<?>> out = new ArrayList<>();
    StepServices t = run.tools;
    for (CarrierConfig c : t.carriers()) {
      CarrierCards.CardCount request = new CarrierCards.CardCount(c.id(), run.name, run.idNumber,
          run.requestId("n-" + c.id()));
      out.add(new Peer<CarrierCards.Count>(c.id(), JobFields.cardAnswer(c.id()),
          () -> t.carrier().cardCount(request, c.timeoutMs()), CarrierClient.cardCountTimeoutMs(c.timeoutMs()),
          answer -> new JsonObject().put("n", answer.count()),
          answer -> run.cardCounts.put(c.id(), answer.count())));
    }
    return out;
  }

  /** Asks one peer until it answers, fails for good, or the deadline passes; stores the outcome. */
  private static <R> Future<RetryOutcome<Void>> ask(JobPass run, Peer<R> peer, long deadline) {
    StepServices t = run.tools;
    return t.retry().run(() -> t.traced(run.trace, peer.request()), FailureKind::isTransient, deadline, run.attempts,
            peer.timeoutMs())
        .compose(a -> {
          if (a instanceof RetryOutcome.Success<R> s) {
            String sealed = t.personalData().encrypt(run.queryId, peer.field(), peer.stored().apply(s.value()));
            return run.outcomes.store(peer.field(), sealed)
                .map(stored -> {
                  if (stored) {
                    peer.remember().accept(s.value());
                  } else {
                    run.answersInSync = false;
                  }
                  return (RetryOutcome<Void>) new RetryOutcome.Success<Void>(null);
                });
          }
          if (a instanceof RetryOutcome.Permanent<R> p) {
            String code = p.cause() instanceof ReplyException re ? Integer.toString(re.failureCode()) : "x";
            run.warn().addKeyValue("peer", peer.id())
                .log("{} failed for good ({}); it reads 暂无法查询", peer.id(), code);
            return run.outcomes.store(peer.field(), "!" + code).map(stored -> (RetryOutcome<Void>) new RetryOutcome.Success<Void>(null));
          }
          if (a instanceof RetryOutcome.Park<R> p) {
            run.outcomes.skip(true);
            return Future.succeededFuture(new RetryOutcome.Park<Void>(p.wakeAt(), p.attempts()));
          }
          run.outcomes.skip(false);
          run.info().addKeyValue("peer", peer.id()).log("{} did not answer by the deadline", peer.id());
          return Future.succeededFuture(new RetryOutcome.Expired<Void>());
        });
  }

  /** Configured apps in configured order; omitted ones count 0 (the connector already did this). */
  static Map<String, Integer> counts(EnterpriseConfig e, EnterpriseCount.Reply reply) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (String app : e.apps()) {
      out.put(app, reply.count(app));
    }
    return out;
  }
}
