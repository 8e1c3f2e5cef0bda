package org.yzt.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * What the gateway asks of the services behind it whose work is a Redis command or two: the rate
 * limiter, the captcha, and query submission, replay and status. The only class that sends these.
 */
public final class FrontDoorClient {
  /** A request that needs only Redis answers well within the 2 s promise of SPEC §2.6 (503 within 2 s). */
  public static final long REDIS_ONLY_MS = 1800;
  private static final DeliveryOptions REDIS_ONLY = new DeliveryOptions().setSendTimeout(REDIS_ONLY_MS);

  private final Vertx vertx;
  private final Bus bus;

  public FrontDoorClient(Vertx vertx) {
    this.vertx = vertx;
    this.bus = new Bus(vertx);
  }

  public Future<RateLimitAcquire.Reply> acquire(RateLimitAcquire.Request request) {
    return bus.request(RateLimitAcquire.ADDRESS, request, REDIS_ONLY_MS, RateLimitAcquire.Reply::fromJson);
  }

  public Future<CaptchaIssue.Reply> issueCaptcha(CaptchaIssue.Request request) {
    return bus.request(CaptchaIssue.ADDRESS, request, REDIS_ONLY_MS, CaptchaIssue.Reply::fromJson);
  }

  /** A new captcha and its per-IP limits in one hop (standalone and Sentinel: {@link CaptchaIssue.Checked}). */
  public Future<CaptchaIssue.Reply> issueCaptcha(CaptchaIssue.Checked request) {
    return bus.request(CaptchaIssue.Checked.ADDRESS, request, REDIS_ONLY_MS, CaptchaIssue.Reply::fromJson);
  }

  /** The same on a Redis Cluster ({@link CaptchaIssue.Checked#IN_SLOT_ADDRESS}): the client's limits in one slot. */
  public Future<CaptchaIssue.Reply> issueCaptchaInSlot(CaptchaIssue.Checked request) {
    return bus.request(CaptchaIssue.Checked.IN_SLOT_ADDRESS, request, REDIS_ONLY_MS, CaptchaIssue.Reply::fromJson);
  }

  public Future<Void> verifyCaptcha(CaptchaVerify.Request request) {
    return bus.request(CaptchaVerify.ADDRESS, request, REDIS_ONLY_MS, reply -> (Void) null);
  }

  /**
   * {@code yzt.query.submit}'s answer (SPEC §2.3's, passed on as it is). The record itself is the body:
   * within the JVM it is delivered as it is, across the cluster as its JSON ({@link Submission.Codec}).
   */
  public Future<JsonObject> submit(Submission submission) {
    return vertx.eventBus().<JsonObject>request(Addresses.QUERY_SUBMIT, submission, REDIS_ONLY).map(m -> m.body());
  }

  /** {@code yzt.cardquery.submit}: the phone-card submission (SPEC §13); its answer passed on. */
  public Future<JsonObject> submitCards(CardSubmission submission) {
    return bus.request(CardSubmission.ADDRESS, submission, REDIS_ONLY_MS, reply -> reply);
  }

  public Future<QueryReplay.Reply> replay(QueryReplay.Request request) {
    return bus.request(QueryReplay.ADDRESS, request, REDIS_ONLY_MS, QueryReplay.Reply::fromJson);
  }

  /** SPEC §2.4's answer, passed on as it is. */
  public Future<JsonObject> status(QueryStatus.Request request) {
    return bus.request(QueryStatus.ADDRESS, request, REDIS_ONLY_MS, reply -> reply);
  }

  /** {@code yzt.enterprise.circuits} of some node that runs the connectors. */
  public Future<EnterpriseCircuits.Reply> circuits(long timeoutMs) {
    return bus.request(EnterpriseCircuits.ADDRESS, new JsonObject(), timeoutMs).map(EnterpriseCircuits.Reply::fromJson);
  }

  /** {@code yzt.sim.sms.inbox} (dev only): {@code {"phone"}} → {@code {"messages": […]}}, passed on as it is. */
  public Future<JsonObject> devInbox(PhoneNumber phone) {
    return bus.request(SimSmsInbox.ADDRESS, new SimSmsInbox.Request(phone.digits()).toJson(), REDIS_ONLY_MS);
  }
}
