package org.yzt.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.yzt.config.CarrierConfig;
import org.yzt.runtime.AppContext;

/**
 * Every configured carrier at {@code POST /carrier/<id>/v1/real-name/verify} (SPEC §4): checks the
 * signature with that carrier's key (401 otherwise), then answers by {@link SimSubscribers#verify}:
 * NOT_FOUND for a number outside its prefixes, the demo subscribers' answers, MATCH otherwise.
 * Faults from {@link SimFaults} under target {@code carrier:<id>}.
 */
public final class CarrierSimulator {
  private final AppContext ctx;

  public CarrierSimulator(AppContext ctx) {
    this.ctx = ctx;
  }

  /** Adds this simulator's routes. */
  void mount(SimRoutes routes, Vertx vertx) {
    PeerSimulation sim = PeerSimulation.of(ctx);
    PeerSimulation.route(routes, "/carrier/:id/v1/real-name/verify", CarrierConfig.all(ctx.config),
        CarrierConfig::id,
        c -> sim.verifier("carrier:" + c.id(), PeerSimulation.entry(ctx, "carriers", c.id())),
        (rc, carrier, id, req) -> {
          String phone = req.getString("phone", "");
          String requestId = req.getString("requestId", "");
          SimFaults.Fault fault = sim.faults.next("carrier:" + id, phone);
          sim.answer(vertx, rc, fault, 0, () -> {
            String result = phone.length() == 11 && carrier.prefixes().contains(phone.substring(0, 3))
                ? sim.subscribers.verify(phone, req.getString("idLast6", "")) : "NOT_FOUND";
            return new JsonObject().put("requestId", requestId).put("result", result);
          });
        });
  }
}
