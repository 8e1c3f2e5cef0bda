package org.yzt.contract;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * The one way this project asks the event bus. A request record goes out as its JSON form, also to
 * a consumer in the same JVM: SPEC §8 fixes JSON, a clustered frame names its codec (a node or another
 * system without ours could not read a record), and another system's consumer on this node reads
 * {@code JsonObject} bodies. Only {@code yzt.query.submit}, the front door's hot path, sends its record
 * within the JVM ({@code Submission}'s codec).
 */
public final class Bus {
  private final Vertx vertx;

  public Bus(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Asks {@code address}, bounded by {@code timeoutMs}; the reply's JSON read by {@code reply}. */
  public <R> Future<R> request(String address, BusMessage request, long timeoutMs, Function<JsonObject, R> reply) {
    return request(address, request.toJson(), timeoutMs).map(reply);
  }

  /** Asks {@code address} with a JSON body (an address whose messages have no record yet). */
  public Future<JsonObject> request(String address, JsonObject body, long timeoutMs) {
    return vertx.eventBus().<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
        .map(m -> json(m.body()));
  }

  private static JsonObject json(Object body) {
    return body instanceof JsonObject j ? j : new JsonObject();
  }
}
