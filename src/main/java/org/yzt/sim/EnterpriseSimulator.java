package org.yzt.sim;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.yzt.config.EnterpriseConfig;
import org.yzt.runtime.AppContext;

/**
 * Every configured enterprise (a ninth one too) at {@code POST /enterprise/<id>/v1/account-count}
 * (SPEC §4): checks the signature with that enterprise's key (401 otherwise), then answers the
 * counts of {@link SimSubscribers#accounts} after {@code simulators.latencyMs} plus the
 * subscriber's own latency. Faults from {@link SimFaults} under target {@code enterprise:<id>}.
 */
public final class EnterpriseSimulator {
  private final AppContext ctx;

  public EnterpriseSimulator(AppContext ctx) {
    this.ctx = ctx;
  }

  /** Adds this simulator's routes. */
  void mount(SimRoutes routes, Vertx vertx) {
    PeerSimulation sim = PeerSimulation.of(ctx);
    sim.route(routes, "/enterprise/:id/v1/account-count", EnterpriseConfig.all(ctx.config),
        EnterpriseConfig::id,
        e -> sim.verifier("enterprise:" + e.id(), PeerSimulation.entry(ctx, "enterprises", e.id())),
        (rc, e, id, req) -> {
          String phone = req.getString("phone", "");
          if (phone.length() != 11) {
            rc.response().setStatusCode(400).end("{}");
            return;
          }
          SimFaults.Fault fault = sim.faults.next("enterprise:" + id, phone);
          sim.answer(vertx, rc, fault, sim.subscribers.enterpriseLatencyMs(phone), () -> new JsonObject()
              .put("requestId", req.getString("requestId", ""))
              .put("accounts", sim.subscribers.accounts(e, phone)));
        });
  }
}
