package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import org.yzt.contract.Addresses;
import org.yzt.query.JobRunner.Outcome;

/**
 * VERIFYING: asks the carrier ({@code yzt.carrier.verify}, or {@code yzt.carrier.verifyIdentity} for a
 * phone-card job) until it gives a verdict, refuses the
 * number (400: FAILED at once) or the deadline passes (FAILED without a text). MATCH goes on to
 * QUERYING, MISMATCH and NOT_FOUND to NOTIFYING (the failure text), CANCELLED ends FAILED.
 */
final class VerifyStep {
  Future<Outcome> run(JobRun run) {
    if (run.verdict != null) {
      return afterVerdict(run, run.verdict);
    }
    run.beginStage(JobState.VERIFYING);
    // a phone-card job asks the number's carrier about the name and the full ID number (SPEC §13)
    JsonObject body = run.cards
        ? new JsonObject().put("phone", run.phone).put("name", run.name).put("idNumber", run.idNumber)
        : new JsonObject().put("phone", run.phone).put("idLast6", run.idLast6);
    body.put("requestId", run.requestId("c"));
    String address = run.cards ? Addresses.CARRIER_VERIFY_IDENTITY : Addresses.CARRIER_VERIFY;
    StepTools t = run.tools;
    long timeout = t.carrierTimeoutMs();
    return t.retry().run(() -> t.request(run.trace, address, body, timeout).map(m -> m.body().getString("result")),
            err -> !(err instanceof ReplyException re && re.failureCode() == 400), run.job.deadline(), run.attempts, timeout)
        .compose(a -> {
          if (a instanceof Attempt.Success<String> s) {
            return afterVerdict(run, s.value());
          }
          if (a instanceof Attempt.Park<String> p) {
            return run.park(p);
          }
          String why = a instanceof Attempt.Permanent ? "unsupported-number" : "unverified";
          run.warn().log("no carrier verdict ({}); FAILED without a text", why);
          return run.finish(JobState.VERIFYING, JobState.FAILED, why);
        });
  }

  private static Future<Outcome> afterVerdict(JobRun run, String v) {
    JobState next;
    switch (v == null ? "" : v) {
      case "MATCH" -> next = JobState.QUERYING;
      case "MISMATCH", "NOT_FOUND" -> next = JobState.NOTIFYING;
      case "CANCELLED" -> {
        return run.finish(JobState.VERIFYING, JobState.FAILED, "cancelled");
      }
      default -> {
        return Future.failedFuture(new IllegalStateException("carrier verdict not understood"));
      }
    }
    run.endStage();
    run.info().log("carrier verdict {}", v);
    run.verdict = v;
    run.attempts = 0;
    return run.tools.store().recordVerdict(run.entry, v, next).compose(run::continueFrom);
  }
}
