package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.yzt.contract.Addresses;
import org.yzt.sms.SmsSender;
import org.yzt.query.JobRunner.Outcome;

/**
 * NOTIFYING: hands the one text to {@code yzt.sms.send} (the result for MATCH, the failure text
 * otherwise) with a messageId fixed by the query, so a retry or a resumed job never texts twice;
 * retried until deadline + {@code smsGraceSeconds}. A 4xx from the SMS service is final, and so is
 * a text the gateway refused for good (SPEC §4: a 4xx other than 408/429, which {@code yzt.sms.send}
 * answers as {@code SERVICE_UNAVAILABLE} with {@code permanent: true}): the job ends FAILED at once.
 */
final class NotifyStep {
  Future<Outcome> run(JobRun run) {
    StepTools t = run.tools;
    PipelineConfig cfg = t.cfg();
    boolean matched = "MATCH".equals(run.verdict);
    String text = run.cards
        ? matched ? ResultText.cardResult(t.carriers(), run.cardCounts) : ResultText.CARD_FAILURE
        : matched ? ResultText.result(run.phone, t.enterprises(), run.answers) : ResultText.FAILURE;
    String messageId = run.queryId + (matched ? "-r" : "-f");
    long giveUpAt = run.job.deadline() + cfg.smsGraceMs();
    run.beginStage(JobState.NOTIFYING);
    return t.retry().run(() -> {
      long within = Math.max(1000, Math.min(cfg.smsDeliverWithinMs(), giveUpAt - System.currentTimeMillis()));
      JsonObject body = new JsonObject().put("messageId", messageId).put("to", run.phone).put("text", text)
          .put("deliverWithinMs", within);
      return t.request(run.trace, Addresses.SMS_SEND, body, within + 5000);
    }, NotifyStep::transientSmsFailure, giveUpAt, run.attempts, cfg.smsDeliverWithinMs() + 5000)
        .compose(a -> {
          if (a instanceof Attempt.Success) {
            return matched
                ? run.finish(JobState.NOTIFYING, JobState.DONE, null)
                : run.finish(JobState.NOTIFYING, JobState.FAILED, "identity");
          }
          if (a instanceof Attempt.Park<Message<JsonObject>> p) {
            return run.park(p);
          }
          if (a instanceof Attempt.Permanent<?>) {
            run.error().log("the SMS gateway refused the text for good; FAILED");
          } else {
            run.error().log("the SMS gateway did not take the text in time; FAILED");
          }
          return run.finish(JobState.NOTIFYING, JobState.FAILED, "sms");
        });
  }

  static boolean transientSmsFailure(Throwable err) {
    if (SmsSender.refusedForGood(err)) {
      return false; // the gateway refused the text for good: another try cannot help
    }
    return !(err instanceof ReplyException re && re.failureCode() >= 400 && re.failureCode() < 500
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE);
  }
}
