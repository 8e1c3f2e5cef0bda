package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yzt.config.EnterpriseConfig;
import org.yzt.contract.EnterpriseClient;
import org.yzt.contract.EnterpriseCount;
import org.yzt.contract.FailureKind;
import org.yzt.contract.PhoneNumber;
import org.yzt.query.JobRunner.Outcome;

/**
 * QUERYING: asks every enterprise not answered yet, in parallel, each on its own until it answers,
 * fails for good (its apps read 暂无法查询) or the deadline passes; every outcome is stored as it
 * arrives ({@link OutcomeWriter}). The step parks when some enterprise's next retry is far away,
 * and moves to NOTIFYING when none is left to ask.
 */
final class QueryStep {
  Future<Outcome> run(JobRun run) {
    long deadline = run.job.deadline();
    run.beginStage(JobState.QUERYING);
    List<EnterpriseConfig> missing = new ArrayList<>();
    for (EnterpriseConfig e : run.tools.enterprises()) {
      if (run.job.answer(e.id()) == null) {
        missing.add(e); // answered (or failed) before: never asked again
      }
    }
    run.outcomes.expect(missing.size());
    List<Future<Attempt<Void>>> asks = new ArrayList<>();
    for (EnterpriseConfig e : missing) {
      asks.add(ask(run, e, deadline));
    }
    return Future.join(asks).transform(ignored -> {
      long wakeAt = Long.MAX_VALUE;
      int maxAttempts = 0;
      for (Future<Attempt<Void>> f : asks) {
        if (f.failed()) {
          return Future.failedFuture(f.cause()); // Redis unreachable: leave the job to be resumed
        }
        if (f.result() instanceof Attempt.Park<Void> p) {
          wakeAt = Math.min(wakeAt, p.wakeAt());
          maxAttempts = Math.max(maxAttempts, p.attempts());
        }
      }
      if (wakeAt != Long.MAX_VALUE) {
        return run.park(new Attempt.Park<>(wakeAt, maxAttempts));
      }
      run.attempts = 0;
      run.endStage();
      // DEBUG: "job finished" follows, and each enterprise that failed or ran out of time has its own line
      run.debug().log("every enterprise answered, failed or ran out of time");
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

  /** Asks one enterprise until it answers, fails for good, or the deadline passes; stores the outcome. */
  private static Future<Attempt<Void>> ask(JobRun run, EnterpriseConfig e, long deadline) {
    StepTools t = run.tools;
    EnterpriseCount.Request request = new EnterpriseCount.Request(new PhoneNumber(run.phone), run.requestId(e.id()));
    String field = JobFields.answer(e.id());
    return t.retry().run(() -> t.enterprise().count(e.id(), e.timeoutMs(), request), FailureKind::isTransient,
            deadline, run.attempts, EnterpriseClient.sendTimeoutMs(e.timeoutMs()))
        .compose(a -> {
          if (a instanceof Attempt.Success<EnterpriseCount.Reply> s) {
            Map<String, Integer> counts = counts(e, s.value());
            JsonObject sealedBody = new JsonObject();
            counts.forEach(sealedBody::put);
            return run.outcomes.store(field, t.personalData().encrypt(run.queryId, new JsonObject().put("a", sealedBody)))
                .map(stored -> {
                  if (stored) {
                    run.answers.put(e.id(), counts);
                  } else {
                    run.answersInSync = false;
                  }
                  return (Attempt<Void>) new Attempt.Success<Void>(null);
                });
          }
          if (a instanceof Attempt.Permanent<EnterpriseCount.Reply> p) {
            String code = p.cause() instanceof ReplyException re ? Integer.toString(re.failureCode()) : "x";
            run.warn().addKeyValue("enterprise", e.id())
                .log("enterprise {} failed for good ({}); its apps read 暂无法查询", e.id(), code);
            return run.outcomes.store(field, "!" + code).map(stored -> (Attempt<Void>) new Attempt.Success<Void>(null));
          }
          if (a instanceof Attempt.Park<EnterpriseCount.Reply> p) {
            run.outcomes.skip(true);
            return Future.succeededFuture(new Attempt.Park<Void>(p.wakeAt(), p.attempts()));
          }
          run.outcomes.skip(false);
          run.info().addKeyValue("enterprise", e.id()).log("enterprise {} did not answer by the deadline", e.id());
          return Future.succeededFuture(new Attempt.Expired<Void>());
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
