package org.yzt.frontdoor;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.Phone;
import org.yzt.privacy.SecurityLog;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;

/**
 * What a submission's step answered, turned into the caller's answer or the SPEC's error, with the
 * accepted and security lines. Logged as {@link QueryService}: operators filter on that logger.
 */
final class SubmissionOutcome {
  private static final Logger LOG = LoggerFactory.getLogger(QueryService.class);

  Future<JsonObject> of(Response r, QueryDrafts.Draft d, String phone, String requestId, String client) {
    JsonObject answer = d.answer();
    String outcome = r.get(0).toString();
    switch (outcome) {
      case "OK":
        logAccepted(d.queryId(), phone, requestId);
        return Future.succeededFuture(answer);
      case "REPLAY":
        return Future.succeededFuture(new JsonObject(r.get(1).toString()));
      case "SMS_CODE_INVALID":
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.sms_code_invalid")
            .log("security: wrong sms code for {}", Phone.mask(phone));
        return Future.failedFuture(Failures.of(ErrorCode.SMS_CODE_INVALID,
            new JsonObject().put(Failures.REMAINING_ATTEMPTS, r.get(1).toInteger())));
      case "RATE_LIMITED":
        String bucket = r.get(2).toString();
        // lua/query_whole.lua names the tier when the IPv6 site refused (client is then the site's token)
        String tier = r.size() > 3 ? r.get(3).toString() : "client";
        long count = SecurityLog.shared().admit("security.rate_limited", client,
            "client".equals(tier) ? bucket : bucket + "/" + tier);
        if (count > 0) { // sampled (SPEC §10); the keyed client token, never the address
          LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.rate_limited")
              .addKeyValue("bucket", bucket).addKeyValue("tier", tier).addKeyValue("client", client)
              .addKeyValue("count", count).log("security: per-IP limit {} hit ({}), {} refusals", bucket, tier, count);
        }
        return Future.failedFuture(Failures.retryAfter(ErrorCode.RATE_LIMITED, (r.get(1).toLong() + 999) / 1000));
      case "QUERY_LIMIT":
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.query_limit")
            .log("security: {} already queried in the window", Phone.mask(phone));
        return Future.failedFuture(Failures.retryAfter(ErrorCode.QUERY_LIMIT, (r.get(1).toLong() + 999) / 1000));
      case "SMS_CODE_EXPIRED":
        LOG.atWarn().addKeyValue("requestId", requestId).addKeyValue("event", "security.sms_code_expired")
            .log("security: no live sms code for {}", Phone.mask(phone));
        return Failures.fail(ErrorCode.SMS_CODE_EXPIRED);
      default:
        return Failures.fail(ErrorCode.valueOf(outcome));
    }
  }

  /**
   * An accepted query's line: INFO for the first of each second (with how many were accepted since the
   * previous INFO line, logged at DEBUG only), DEBUG for the others. A line per query cost a fifth of
   * the front door's CPU at full load; yzt_api_requests_total{route="queries",outcome="ok"} counts
   * every one, and the pipeline's lines about the job carry the same request id and query id.
   * Used from this instance's event loop (a race between two threads would only move a line between levels).
   */
  private void logAccepted(String queryId, String phone, String requestId) {
    long second = System.currentTimeMillis() / 1000;
    if (second != infoSecond) {
      infoSecond = second;
      long unlogged = acceptedAtDebug;
      acceptedAtDebug = 0;
      LOG.atInfo().addKeyValue("requestId", requestId).addKeyValue("queryId", queryId)
          .addKeyValue("acceptedBeforeAtDebug", unlogged).log("query accepted for {}", Phone.mask(phone));
    } else {
      acceptedAtDebug++;
      if (LOG.isDebugEnabled()) {
        LOG.atDebug().addKeyValue("requestId", requestId).addKeyValue("queryId", queryId)
            .log("query accepted for {}", Phone.mask(phone));
      }
    }
  }

  private long infoSecond = -1;
  private long acceptedAtDebug;
}
