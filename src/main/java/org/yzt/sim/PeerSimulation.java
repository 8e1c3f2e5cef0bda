package org.yzt.sim;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.partner.SignatureVerifier;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.SimulatorsConfig;
import org.yzt.runtime.AppContext;

/**
 * What the simulators share: demo subscribers, faults, latency, and one {@link SignatureVerifier}
 * per simulated peer (its keys, {@code previousKeys} included, and its nonce cache), shared by every
 * simulator instance of the process so a nonce replayed to another event loop is still refused.
 */
final class PeerSimulation {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSimulation.class);
  final SimSubscribers subscribers;
  final SimFaults faults;
  final long latencyMs;
  private final int maxNonces;
  private final Map<String, SignatureVerifier> verifiers = new ConcurrentHashMap<>();

  /** The node's clock: a simulated peer checks signature times as a partner on NTP time would. */
  private final Clock clock;

  private PeerSimulation(AppContext ctx, SimFaults faults) {
    this.clock = ctx.clock;
    SimulatorsConfig sims = SimulatorsConfig.from(ctx.config);
    this.maxNonces = sims.maxNonces();
    this.subscribers = new SimSubscribers(SimSubscribers.read(sims.subscribersFile()),
        EnterpriseConfig.all(ctx.config));
    this.faults = faults;
    this.latencyMs = sims.latencyMs();
  }

  static PeerSimulation of(AppContext ctx) {
    // not nested inside the other computeIfAbsent: ConcurrentHashMap forbids recursive updates
    SimFaults faults = ctx.shared(SimFaults.class, SimFaults::new);
    return ctx.shared(PeerSimulation.class, () -> new PeerSimulation(ctx, faults));
  }

  /** The verifier of the peer configured as {@code peer} ({@code keyId}, {@code secret}, {@code previousKeys}). */
  SignatureVerifier verifier(String name, JsonObject peer) {
    return verifiers.computeIfAbsent(name, n -> SignatureVerifier.forPeer(peer, maxNonces));
  }

  /** The configured entry of {@code list} ("carriers", "enterprises") with this id. */
  static JsonObject entry(AppContext ctx, String list, String id) {
    for (Object o : ctx.config.getJsonArray(list, new JsonArray())) {
      if (o instanceof JsonObject e && id.equals(e.getString("id"))) {
        return e;
      }
    }
    return new JsonObject();
  }

  /** What a simulated peer does with a request that named a configured peer and was signed by it. */
  interface PeerHandler<P> {
    void handle(SimRoutes.Call call, P peer, String id, JsonObject request);
  }

  /**
   * Mounts {@code POST path} (with an {@code :id} parameter) for every configured peer: an unknown id
   * is 404, a bad signature with that peer's key is 401, a body that is not JSON is 400; the rest goes
   * to {@code handler}.
   */
  <P> void route(SimRoutes routes, String path, List<P> peers, Function<P, String> idOf,
      Function<P, SignatureVerifier> verifierOf, PeerHandler<P> handler) {
    Map<String, P> byId = new HashMap<>();
    Map<String, SignatureVerifier> signers = new HashMap<>();
    for (P p : peers) {
      byId.put(idOf.apply(p), p);
      signers.put(idOf.apply(p), verifierOf.apply(p));
    }
    routes.post(path, call -> {
      String id = call.id();
      P peer = byId.get(id);
      if (peer == null) {
        call.response().setStatusCode(404).end();
        return;
      }
      JsonObject req = verified(call, signers.get(id));
      if (req != null) {
        handler.handle(call, peer, id, req);
      }
    });
  }

  /**
   * Answers a request the verifier refused: 401 (503 with Retry-After when the nonce cache is full),
   * and a WARN with {@code event=security.bad_signature}, the reason, the path and the key id sent.
   * True when the request passed.
   */
  static boolean passes(SimRoutes.Call rc, SignatureVerifier.Verdict verdict) {
    if (verdict == SignatureVerifier.Verdict.OK) {
      return true;
    }
    String keyId = rc.request().getHeader("X-Yzt-Key-Id");
    String reason = verdict.name().toLowerCase(Locale.ROOT);
    LOG.atWarn().addKeyValue("event", "security.bad_signature").addKeyValue("reason", reason)
        .addKeyValue("path", rc.request().path())
        .addKeyValue("keyId", keyId == null ? "-" : keyId.length() > 64 ? keyId.substring(0, 64) : keyId)
        .log("security: {} on {}", reason, rc.request().path());
    if (verdict == SignatureVerifier.Verdict.BUSY) {
      rc.response().putHeader("Retry-After", "1");
      error(rc, 503, "BUSY", "too many requests in the last 10 minutes");
    } else {
      error(rc, 401, "UNAUTHORIZED", reason);
    }
    return false;
  }

  static void error(SimRoutes.Call rc, int status, String code, String message) {
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", new JsonObject().put("code", code).put("message", message)).encode());
  }

  /** The request's JSON body when its signature is valid, else null after answering 401 or 400. */
  JsonObject verified(SimRoutes.Call rc, SignatureVerifier verifier) {
    Buffer body = rc.body();
    if (!passes(rc, verifier.verify(rc.request().headers(), "POST", rc.request().path(), body, clock.millis()))) {
      return null;
    }
    try {
      JsonObject json = body == null || body.length() == 0 ? null : body.toJsonObject();
      if (json != null) {
        return json;
      }
    } catch (RuntimeException ignored) {
      // answered below
    }
    error(rc, 400, "INVALID_JSON", "body is not a JSON object");
    return null;
  }

  /**
   * Answers after the configured latency plus {@code extraMs}, unless a fault says otherwise.
   */
  void answer(Vertx vertx, SimRoutes.Call rc, SimFaults.Fault fault, long extraMs, Supplier<JsonObject> ok) {
    long delay = latencyMs + extraMs;
    if (fault != null) {
      switch (fault.kind()) {
        case HANG -> {
          return;
        }
        case STATUS -> {
          later(vertx, delay, () -> rc.response().setStatusCode(fault.status()).putHeader("Content-Type", "application/json")
              .end("{}"));
          return;
        }
        case MALFORMED -> {
          later(vertx, delay, () -> rc.response().putHeader("Content-Type", "application/json")
              .end("{\"accounts\":[{\"app\":\"x\",\"count\":-1}]}"));
          return;
        }
        case DELAY -> delay += fault.delayMs();
      }
    }
    later(vertx, delay, () -> rc.response().putHeader("Content-Type", "application/json").end(ok.get().encode()));
  }

  /**
   * On this event loop's own timer: a simulated latency always fires, and from the deadline wheel's
   * thread every one would wake the loop from another thread (a system call each, ten per query).
   */
  static void later(Vertx vertx, long delayMs, Runnable r) {
    if (delayMs <= 0) {
      r.run();
    } else {
      vertx.setTimer(delayMs, id -> {
        try {
          r.run();
        } catch (IllegalStateException closed) {
          // the client gave up and the connection is gone
        }
      });
    }
  }
}
