package org.yzt.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.util.HashMap;
import java.util.Map;
import org.yzt.AppContext;
import org.yzt.carrier.CarrierConfig;
import org.yzt.common.RequestSigner;

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
  public void mount(Router router, Vertx vertx) {
    PeerSimulation sim = PeerSimulation.of(ctx);
    Map<String, CarrierConfig> carriers = new HashMap<>();
    Map<String, RequestSigner> signers = new HashMap<>();
    for (CarrierConfig c : CarrierConfig.all(ctx.config)) {
      carriers.put(c.id(), c);
      signers.put(c.id(), new RequestSigner(c.keyId(), c.secret()));
    }
    router.post("/carrier/:id/v1/real-name/verify").handler(rc -> {
      String id = rc.pathParam("id");
      CarrierConfig carrier = carriers.get(id);
      if (carrier == null) {
        rc.response().setStatusCode(404).end();
        return;
      }
      JsonObject req = PeerSimulation.verified(rc, signers.get(id));
      if (req == null) {
        return;
      }
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
