package org.yzt.pipeline;

import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;
import org.yzt.privacy.PersonalData;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.contract.CarrierClient;
import org.yzt.contract.EnterpriseClient;
import org.yzt.contract.SmsClient;
import org.yzt.tracing.JobTrace;

/** What the steps of a job share, one per worker: the store, the retry engine, the peers' clients and the meters. */
record StepServices(Vertx vertx, JobStore store, PipelineConfig cfg, RetryOrPark retry, List<EnterpriseConfig> enterprises,
    List<CarrierConfig> carriers, PersonalData personalData, PipelineMetrics metrics, CarrierClient carrier,
    EnterpriseClient enterprise, SmsClient sms, Clock clock) {

  /** One request of a peer's client, sent within the job's current step span (so the trace crosses the bus). */
  <T> Future<T> traced(JobTrace trace, Supplier<Future<T>> request) {
    try (Scope ignored = trace.activate()) {
      return request.get();
    }
  }
}
