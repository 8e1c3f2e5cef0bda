package org.yzt.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/** Event-bus requests from the gateway, each with its own timeout, answering JSON. */
final class Bus {
  /** A request that needs only Redis answers well within the 2 s promise of SPEC §2.6 (503 within 2 s). */
  static final long FAST_MS = 1800;

  private final Vertx vertx;

  Bus(Vertx vertx) {
    this.vertx = vertx;
  }

  Future<JsonObject> request(String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(m -> m.body());
  }

  /** A request whose body is a record with a default codec (delivered as it is within the JVM). */
  Future<JsonObject> requestObject(String address, Object body) {
    return vertx.eventBus().<JsonObject>request(address, body, FAST).map(m -> m.body());
  }

  private static final DeliveryOptions FAST = new DeliveryOptions().setSendTimeout(FAST_MS);

  Future<JsonObject> request(String address, JsonObject body) {
    return request(address, body, FAST_MS);
  }
}
