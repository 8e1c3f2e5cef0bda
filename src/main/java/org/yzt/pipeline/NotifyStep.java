package org.yzt.pipeline;

import io.vertx.core.Future;
import org.yzt.config.PipelineConfig;
import org.yzt.contract.FailureKind;
import org.yzt.contract.PhoneNumber;
import org.yzt.contract.SmsClient;
import org.yzt.contract.SmsSend;
import org.yzt.pipeline.JobDispatcher.Outcome;

/**
 * NOTIFYING: hands the one text to {@code yzt.sms.send} (the result for MATCH, the failure text
 * otherwise) with a messageId fixed by the query, so a retry or a resumed job never texts twice;
 * retried until deadline + {@code smsGraceSeconds}. A 4xx from the SMS service is final, and so is
 * a text the gateway refused for good (SPEC §4: a 4xx other than 408/429, which {@code yzt.sms.send}
 * answers as {@code SERVICE_UNAVAILABLE} with {@code permanent: true}, kind {@code FINAL}): the job ends FAILED at once.
 */
final class NotifyStep {
  Future<Outcome> run(JobPass run) {
    StepServices t = run.tools;
    PipelineConfig cfg = t.cfg();
    boolean matched = "MATCH".equals(run.verdict);
    String text = run.cards
        ? matched ? ResultText.cardResult(t.carriers(), run.cardCounts) : ResultText.CARD_FAILURE
        : matched ? ResultText.result(run.phone, t.enterprises(), run.answers) : ResultText.FAILURE;
    String messageId = run.queryId + (matched ? "-r" : "-f");
    long giveUpAt = run.job.deadline() + cfg.smsGraceMs();
    PhoneNumber to = new PhoneNumber(run.phone);
    run.beginStage(JobState.NOTIFYING);
    return t.retry().run(() -> {
      long within = Math.max(1000, Math.min(cfg.smsDeliverWithinMs(), giveUpAt - t.clock().millis()));
      return t.traced(run.trace, () -> t.sms().send(new SmsSend.Request(messageId, to, text, within, null), within));
    }, FailureKind::isTransient, giveUpAt, run.attempts, SmsClient.sendTimeoutMs(cfg.smsDeliverWithinMs()))
        .compose(a -> {
          if (a instanceof RetryOutcome.Success) {
            return matched
                ? run.finish(JobState.NOTIFYING, JobState.DONE, null)
                : run.finish(JobState.NOTIFYING, JobState.FAILED, "identity");
          }
          if (a instanceof RetryOutcome.Park<SmsSend.Reply> p) {
            return run.park(p);
          }
          if (a instanceof RetryOutcome.Permanent<?>) {
            run.error().log("the SMS gateway refused the text for good; FAILED");
          } else {
            run.error().log("the SMS gateway did not take the text in time; FAILED");
          }
          return run.finish(JobState.NOTIFYING, JobState.FAILED, "sms");
        });
  }
}
