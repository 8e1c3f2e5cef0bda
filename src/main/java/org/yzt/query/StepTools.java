package org.yzt.query;

import io.vertx.core.Vertx;
import java.util.List;
import org.yzt.common.PersonalData;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.contract.CarrierClient;
import org.yzt.contract.EnterpriseClient;
import org.yzt.contract.SmsClient;

/** What the steps of a job share, one per worker: the store, the retry engine, the peers' clients and the meters. */
record StepTools(Vertx vertx, JobStore store, PipelineConfig cfg, RetryOrPark retry, List<EnterpriseConfig> enterprises,
    PersonalData personalData, PipelineMetrics metrics, CarrierClient carrier, EnterpriseClient enterprise,
    SmsClient sms) {
}
