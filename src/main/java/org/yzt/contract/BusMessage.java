package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * A request record of this package. Its JSON form is what crosses the (clustered) event bus, field
 * for field as SPEC §8 and docs/event-bus.md give it ({@link Bus}).
 */
public interface BusMessage {
  JsonObject toJson();
}
