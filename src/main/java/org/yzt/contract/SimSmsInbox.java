package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.sim.sms.inbox} (dev only, answered by the SMS simulator): {@code {"phone"}} →
 * {@code {"messages": […]}}, passed on as it is. Failures: 400 {@code INVALID_FIELD} (no phone),
 * {@code INVALID_PHONE}.
 */
public final class SimSmsInbox {
  public static final String ADDRESS = Addresses.SIM_SMS_INBOX;

  private SimSmsInbox() {}

  /** {@code {"phone"}}: null when absent or not a string; the simulator decides what that means. */
  public record Request(String phone) implements BusMessage {
    public static Request of(Object body) {
      return body instanceof Request r ? r : new Request(RateLimitAcquire.text(Fields.json(body), "phone"));
    }

    @Override
    public JsonObject toJson() {
      return new JsonObject().put("phone", phone);
    }
  }
}
