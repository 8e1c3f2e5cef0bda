package org.yzt.contract;

import io.vertx.core.Future;

/** Asks {@code yzt.carrier.verify}; the only class that sends it. */
public final class CarrierClient {
  /**
   * Beyond the carrier's own timeout, what the carrier service may take to sign, to wait for a
   * pooled connection and to reply over the bus before the asker gives up on it.
   */
  static final long MARGIN_MS = 2000;

  private final Bus bus;
  private final long sendTimeoutMs;

  /** {@code carrierTimeoutMs}: the longest {@code carriers[].timeoutMs}. */
  public CarrierClient(Bus bus, long carrierTimeoutMs) {
    this.bus = bus;
    this.sendTimeoutMs = carrierTimeoutMs + MARGIN_MS;
  }

  public long sendTimeoutMs() {
    return sendTimeoutMs;
  }

  public Future<Verdict> verify(CarrierVerify.Request request) {
    return bus.request(CarrierVerify.ADDRESS, request, sendTimeoutMs, CarrierVerify.Reply::fromJson)
        .map(CarrierVerify.Reply::result);
  }

  /** The phone-card verification: the number's carrier checks the name and the full ID number. */
  public Future<Verdict> verifyIdentity(CarrierCards.VerifyIdentity request) {
    return bus.request(CarrierCards.VERIFY_IDENTITY, request, sendTimeoutMs, CarrierVerify.Reply::fromJson)
        .map(CarrierVerify.Reply::result);
  }

  /**
   * How long to wait for one carrier's card count when its requests time out after {@code carrierTimeoutMs}:
   * twice that (a request may wait for a connection held as long as its own) plus {@link #MARGIN_MS}.
   */
  public static long cardCountTimeoutMs(long carrierTimeoutMs) {
    return carrierTimeoutMs * 2 + MARGIN_MS;
  }

  public Future<CarrierCards.Count> cardCount(CarrierCards.CardCount request, long carrierTimeoutMs) {
    return bus.request(CarrierCards.CARD_COUNT, request, cardCountTimeoutMs(carrierTimeoutMs), CarrierCards.Count::fromJson);
  }
}
