package org.yzt.pipeline;

import io.vertx.core.Future;
import java.util.function.Supplier;
import org.yzt.contract.CarrierCards;
import org.yzt.contract.CarrierVerify;
import org.yzt.contract.FailureKind;
import org.yzt.contract.PhoneNumber;
import org.yzt.contract.Verdict;
import org.yzt.pipeline.JobDispatcher.Outcome;
import org.yzt.store.JobFields;

/**
 * VERIFYING: asks the carrier ({@code yzt.carrier.verify}, or {@code yzt.carrier.verifyIdentity} for a
 * phone-card job) until it gives a verdict, refuses the number (an invalid request: FAILED at once)
 * or the deadline passes (FAILED without a text). MATCH goes on to
 * QUERYING, MISMATCH and NOT_FOUND to NOTIFYING (the failure text), CANCELLED ends FAILED.
 */
final class VerifyStep {
  Future<Outcome> run(JobPass run) {
    if (run.verdict != null) {
      return afterVerdict(run, run.verdict);
    }
    run.beginStage(JobState.VERIFYING);
    StepServices t = run.tools;
    PhoneNumber phone = new PhoneNumber(run.phone);
    String requestId = run.requestId("c");
    // a phone-card job asks the number's carrier about the name and the full ID number (SPEC §13)
    Supplier<Future<Verdict>> ask = run.cards
        ? () -> t.carrier().verifyIdentity(new CarrierCards.VerifyIdentity(phone, run.name, run.idNumber, requestId))
        : () -> t.carrier().verify(new CarrierVerify.Request(phone, run.idLast6, requestId));
    return t.retry().run(() -> t.traced(run.trace, ask).map(Verdict::name), FailureKind::isTransient,
            run.job.deadline(), run.attempts, t.carrier().sendTimeoutMs())
        .compose(a -> {
          if (a instanceof RetryOutcome.Success<String> s) {
            return afterVerdict(run, s.value());
          }
          if (a instanceof RetryOutcome.Park<String> p) {
            return run.park(p);
          }
          String why = a instanceof RetryOutcome.Permanent ? "unsupported-number" : "unverified";
          run.warn().log("no carrier verdict ({}); FAILED without a text", why);
          return run.finish(JobState.VERIFYING, JobState.FAILED, why);
        });
  }

  private static Future<Outcome> afterVerdict(JobPass run, String v) {
    Verdict verdict = Verdict.named(v);
    if (verdict == null) {
      return Future.failedFuture(new IllegalStateException("carrier verdict not understood"));
    }
    JobState next;
    switch (verdict) {
      case MATCH -> next = JobState.QUERYING;
      case MISMATCH, NOT_FOUND -> next = JobState.NOTIFYING;
      default -> {
        return run.finish(JobState.VERIFYING, JobState.FAILED, "cancelled");
      }
    }
    run.endStage();
    run.info().log("carrier verdict {}", v);
    run.verdict = v;
    run.attempts = 0;
    if (run.outcomes.holds()) {
      // stored with the next write: the first outcomes, the finishing write, or alone when its time is up
      run.outcomes.carry(JobState.VERIFYING, next, JobFields.VERDICT, v);
      return run.continueFrom(next);
    }
    return run.tools.store().recordVerdict(run.entry, v, next).compose(run::continueFrom);
  }
}
