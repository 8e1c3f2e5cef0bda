package org.yzt.contract;

import io.vertx.core.Future;

/** Asks {@code yzt.enterprise.count.<id>}; the only class that sends it. */
public final class EnterpriseClient {
  /** What the connector may add to the enterprise's timeout: signing, the bus, a reply. */
  static final long MARGIN_MS = 2000;

  private final Bus bus;

  public EnterpriseClient(Bus bus) {
    this.bus = bus;
  }

  /**
   * How long to wait for one enterprise whose requests time out after {@code enterpriseTimeoutMs}:
   * twice that (a request may wait for a bulkhead slot held by another as long as its own runs)
   * plus {@link #MARGIN_MS}.
   */
  public static long sendTimeoutMs(long enterpriseTimeoutMs) {
    return enterpriseTimeoutMs * 2 + MARGIN_MS;
  }

  public Future<EnterpriseCount.Reply> count(String enterpriseId, long enterpriseTimeoutMs, EnterpriseCount.Request request) {
    return bus.request(EnterpriseCount.address(enterpriseId), request, sendTimeoutMs(enterpriseTimeoutMs),
        EnterpriseCount.Reply::fromJson);
  }
}
