package org.yzt.contract;

import io.vertx.core.Future;

/** Asks {@code yzt.smscode.send}; the only class that sends it. */
public final class SmsCodeClient {
  /**
   * The code's service waits for {@code yzt.sms.send} ({@link SmsClient#sendTimeoutMs}); its own
   * answer then takes a Redis script at most (the undo of a code that was not sent).
   */
  static final long MARGIN_MS = 500;

  private final Bus bus;
  private final long sendTimeoutMs;

  /** {@code codeDeliveryMs}: how long the SMS service may take to have a code's text accepted ({@code sms.codeDeliverySeconds}). */
  public SmsCodeClient(Bus bus, long codeDeliveryMs) {
    this.bus = bus;
    this.sendTimeoutMs = SmsClient.sendTimeoutMs(codeDeliveryMs) + MARGIN_MS;
  }

  public Future<SmsCodeSend.Reply> send(SmsCodeSend.Request request) {
    return bus.request(SmsCodeSend.ADDRESS, request, sendTimeoutMs, SmsCodeSend.Reply::fromJson);
  }

  /** The per-IP limit, the captcha and the code in one hop (standalone and Sentinel: {@link SmsCodeSend.Checked}). */
  public Future<SmsCodeSend.Reply> send(SmsCodeSend.Checked request) {
    return bus.request(SmsCodeSend.Checked.ADDRESS, request, sendTimeoutMs, SmsCodeSend.Reply::fromJson);
  }

  /** The same on a Redis Cluster ({@link SmsCodeSend.Checked#IN_SLOT_ADDRESS}): the limit and captcha in one slot. */
  public Future<SmsCodeSend.Reply> sendInSlot(SmsCodeSend.Checked request) {
    return bus.request(SmsCodeSend.Checked.IN_SLOT_ADDRESS, request, sendTimeoutMs, SmsCodeSend.Reply::fromJson);
  }
}
