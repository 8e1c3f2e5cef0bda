package org.yzt.contract;

import io.vertx.core.Future;

/** Asks {@code yzt.sms.send}; the only class that sends it. */
public final class SmsClient {
  /**
   * Beyond the request's {@code deliverWithinMs}, by which the SMS service answers (its last attempt
   * is cut off then), what the reply may take to come back.
   */
  static final long MARGIN_MS = 1000;

  private final Bus bus;

  public SmsClient(Bus bus) {
    this.bus = bus;
  }

  /** How long to wait for the reply to a request that may take {@code deliverWithinMs}. */
  public static long sendTimeoutMs(long deliverWithinMs) {
    return deliverWithinMs + MARGIN_MS;
  }

  /**
   * Sends one text; {@code defaultDeliverWithinMs} bounds the wait when the request leaves
   * {@code deliverWithinMs} to the service. A failure says whether the text may have gone out
   * ({@link SmsSend.Failure#nothingSent}).
   */
  public Future<SmsSend.Reply> send(SmsSend.Request request, long defaultDeliverWithinMs) {
    long within = request.deliverWithinMs() != null ? request.deliverWithinMs() : defaultDeliverWithinMs;
    return bus.request(SmsSend.ADDRESS, request, sendTimeoutMs(within), SmsSend.Reply::fromJson);
  }
}
