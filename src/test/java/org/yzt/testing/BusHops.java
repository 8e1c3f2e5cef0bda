package org.yzt.testing;

import io.vertx.core.Handler;
import io.vertx.core.eventbus.DeliveryContext;
import io.vertx.core.eventbus.EventBus;
import java.util.Map;
import java.util.TreeMap;

/**
 * The event-bus hops a node's code sends while it is open, by address: every message sent to one of our
 * {@code yzt.} addresses (replies go to generated addresses and are not counted). The cost tests read a step's
 * hops with it beside its Redis round trips.
 */
public final class BusHops implements AutoCloseable {
  private final EventBus bus;
  private final Map<String, Integer> hops = new TreeMap<>();
  private final Handler<DeliveryContext<Object>> counter;

  private BusHops(EventBus bus) {
    this.bus = bus;
    this.counter = dc -> {
      String address = dc.message().address();
      if (address.startsWith("yzt.")) {
        synchronized (hops) {
          hops.merge(address, 1, Integer::sum);
        }
      }
      dc.next();
    };
    bus.addOutboundInterceptor(counter);
  }

  /** Counts from now until {@link #close}. */
  public static BusHops count(EventBus bus) {
    return new BusHops(bus);
  }

  /** The hops counted so far, by address. */
  public Map<String, Integer> hops() {
    synchronized (hops) {
      return new TreeMap<>(hops);
    }
  }

  @Override
  public void close() {
    bus.removeOutboundInterceptor(counter);
  }
}
