package org.yzt.enterprise;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yzt.config.HttpClientConfig;
import org.yzt.bus.Replies;
import org.yzt.config.EnterpriseConfig;
import org.yzt.contract.Addresses;
import org.yzt.contract.EnterpriseCircuits;
import org.yzt.contract.EnterpriseCount;
import org.yzt.runtime.AppContext;

/**
 * One event-bus consumer per configured enterprise on {@code yzt.enterprise.count.<id>}
 * ({@link EnterpriseCount}: messages and failures). The connectors (pools, bulkheads, circuit breakers) are one per
 * enterprise per process, shared by all instances of this verticle.
 */
public final class EnterpriseVerticle extends VerticleBase {
  /** The connectors of one process, by enterprise id. */
  public static final class Connectors implements EnterpriseCircuits.Source {
    final Map<String, EnterpriseConnector> byId = new LinkedHashMap<>();

    public EnterpriseConnector get(String id) {
      return byId.get(id);
    }

    @Override
    public JsonObject circuits() {
      JsonObject out = new JsonObject();
      byId.forEach((id, c) -> out.put(id, c.circuitState().name()));
      return out;
    }
  }

  private final AppContext ctx;

  public EnterpriseVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    Connectors connectors = ctx.shared(Connectors.class, () -> {
      Connectors c = new Connectors();
      HttpClientConfig client = HttpClientConfig.from(ctx.config);
      for (EnterpriseConfig e : EnterpriseConfig.all(ctx.config)) {
        c.byId.put(e.id(), new EnterpriseConnector(ctx.vertx, e, client, ctx.metrics, ctx.clock));
      }
      return c;
    });
    ctx.shared(EnterpriseCircuits.Source.class, () -> connectors); // for this node's /ready
    List<Future<Void>> registered = new ArrayList<>();
    for (EnterpriseConnector connector : connectors.byId.values()) {
      String address = Addresses.enterpriseCount(connector.config().id());
      registered.add(vertx.eventBus().<Object>consumer(address, Replies.handleAny(body -> {
        EnterpriseCount.Request request = EnterpriseCount.Request.of(body);
        return connector.count(request.phone(), request.requestId()).map(EnterpriseCount.Reply::toJson);
      })).completion());
    }
    registered.add(vertx.eventBus().<Object>consumer(EnterpriseCircuits.ADDRESS, Replies.handleAny(body ->
        Future.succeededFuture(new EnterpriseCircuits.Reply(connectors.circuits()).toJson()))).completion());
    return Future.all(registered);
  }
}
