package org.yzt.query;

import io.opentelemetry.context.Scope;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.yzt.carrier.CarrierConfig;
import org.yzt.common.PersonalData;
import org.yzt.enterprise.EnterpriseConfig;
import org.yzt.tracing.JobTrace;

/** What the steps of a job share, one per worker: the store, the retry engine, the peers and the meters. */
record StepTools(Vertx vertx, JobStore store, PipelineConfig cfg, RetryOrPark retry, List<EnterpriseConfig> enterprises,
    List<CarrierConfig> carriers, PersonalData personalData, PipelineMetrics metrics, long carrierTimeoutMs) {

  /** One event-bus request to a connector, bounded by {@code timeoutMs}, sent within the job's current step span. */
  Future<Message<JsonObject>> request(JobTrace trace, String address, JsonObject body, long timeoutMs) {
    try (Scope ignored = trace.activate()) {
      return vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs));
    }
  }
}
