package org.yzt.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.yzt.config.CarrierConfig;
import org.yzt.runtime.AppContext;

/**
 * Every configured carrier at {@code POST /carrier/<id>/v1/real-name/verify} (SPEC §4): checks the
 * signature with that carrier's key (401 otherwise), then answers by {@link SimSubscribers#verify}:
 * NOT_FOUND for a number outside its prefixes, the demo subscribers' answers, MATCH otherwise.
 * Faults from {@link SimFaults} under target {@code carrier:<id>}. The phone-card calls (SPEC §13) are
 * {@code /carrier/<id>/v1/real-name/verify-identity} (by {@link SimSubscribers#verifyIdentity}, faults under
 * {@code carrier:<id>} and the number) and {@code /carrier/<id>/v1/card-count} (by
 * {@link SimSubscribers#cardCount}, faults under {@code carrier-cards:<id>} and the ID number).
 */
public final class CarrierSimulator {
  private final AppContext ctx;

  public CarrierSimulator(AppContext ctx) {
    this.ctx = ctx;
  }

  /** Adds this simulator's routes. */
  void mount(SimRoutes routes, Vertx vertx) {
    PeerSimulation sim = PeerSimulation.of(ctx);
    List<CarrierConfig> carriers = CarrierConfig.all(ctx.config);
    sim.route(routes, "/carrier/:id/v1/real-name/verify", carriers,
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
    // the phone-card calls (SPEC §13): the same keys and faults, per carrier
    sim.route(routes, "/carrier/:id/v1/real-name/verify-identity", carriers, CarrierConfig::id,
        c -> sim.verifier("carrier:" + c.id(), PeerSimulation.entry(ctx, "carriers", c.id())),
        (rc, carrier, id, req) -> {
          String phone = req.getString("phone", "");
          SimFaults.Fault fault = sim.faults.next("carrier:" + id, phone);
          sim.answer(vertx, rc, fault, 0, () -> {
            String result = phone.length() == 11 && carrier.prefixes().contains(phone.substring(0, 3))
                ? sim.subscribers.verifyIdentity(phone, req.getString("name", ""), req.getString("idNumber", ""))
                : "NOT_FOUND";
            return new JsonObject().put("requestId", req.getString("requestId", "")).put("result", result);
          });
        });
    sim.route(routes, "/carrier/:id/v1/card-count", carriers, CarrierConfig::id,
        c -> sim.verifier("carrier:" + c.id(), PeerSimulation.entry(ctx, "carriers", c.id())),
        (rc, carrier, id, req) -> {
          String idNumber = req.getString("idNumber", "");
          // faults and request counts by ID number, as the carrier sees the call (this is the simulated carrier)
          SimFaults.Fault fault = sim.faults.next("carrier-cards:" + id, idNumber);
          sim.answer(vertx, rc, fault, 0, () -> new JsonObject().put("requestId", req.getString("requestId", ""))
              .put("count", sim.subscribers.cardCount(id, carriers.indexOf(carrier), req.getString("name", ""), idNumber)));
        });
  }
}
