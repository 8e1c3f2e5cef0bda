package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.enterprise.circuits}: {@code {}} → {@code {"circuits": {enterpriseId: "CLOSED"|"HALF_OPEN"|"OPEN"}}},
 * the answering node's breakers (used by {@code /ready}).
 */
public final class EnterpriseCircuits {
  public static final String ADDRESS = Addresses.ENTERPRISE_CIRCUITS;

  private EnterpriseCircuits() {}

  /** The connectors of this process, when it runs them (shared in the AppContext under this type). */
  public interface Source {
    /** {enterpriseId: state} in configured order: no endpoint, no secret. */
    JsonObject circuits();
  }

  public record Reply(JsonObject circuits) {
    public static Reply fromJson(JsonObject json) {
      return new Reply(json.getJsonObject("circuits", new JsonObject()));
    }

    public JsonObject toJson() {
      return new JsonObject().put("circuits", circuits);
    }
  }
}
