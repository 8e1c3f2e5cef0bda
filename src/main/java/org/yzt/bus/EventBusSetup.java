package org.yzt.bus;

import io.vertx.core.Vertx;
import io.vertx.serviceproxy.ServiceException;
import io.vertx.serviceproxy.ServiceExceptionMessageCodec;

/** Codecs registered once per Vert.x instance (not per verticle instance). */
public final class EventBusSetup {
  private EventBusSetup() {}

  public static synchronized void registerCodecs(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(ServiceException.class, new ServiceExceptionMessageCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second App on the same Vert.x (tests) finds it in place
    }
  }
}
