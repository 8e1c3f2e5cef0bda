package org.yzt.sim;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.privacy.Phone;
import org.yzt.bus.Replies;
import org.yzt.partner.SignatureVerifier;
import org.yzt.config.SimulatorsConfig;
import org.yzt.config.SmsConfig;
import org.yzt.contract.Addresses;
import org.yzt.contract.SimSmsInbox;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;

/**
 * The SMS gateway of SPEC §4 for the dev profile: {@code POST <sms.baseUrl path>/v1/sms}
 * ({@code /sms/v1/sms} with the dev config), verifying signatures with {@code sms.keyId} /
 * {@code sms.secret} like the real gateway, idempotent per messageId, keeping what it received in
 * the shared {@link SmsInbox}. Also answers {@code yzt.sim.sms.inbox} {@code {"phone"}} with
 * {@code {"messages": [{"messageId","sender","text","receivedAt"}]}}, newest first, for
 * {@code GET /dev/sms}.
 */
public final class SmsSimulator {
  private static final Logger LOG = LoggerFactory.getLogger(SmsSimulator.class);
  private static final Pattern TO = Pattern.compile("^\\d{11}$");

  private final AppContext ctx;

  public SmsSimulator(AppContext ctx) {
    this.ctx = ctx;
  }

  /** Adds this simulator's routes (and event-bus consumers, if any). */
  void mount(SimRoutes routes, Vertx vertx) {
    JsonObject sms = ctx.section("sms");
    SimulatorsConfig simulators = SimulatorsConfig.from(ctx.config);
    SmsInbox inbox = ctx.shared(SmsInbox.class, () -> SmsInbox.fromConfig(simulators));
    SignatureVerifier verifier = PeerSimulation.of(ctx).verifier("sms", sms);
    SmsConfig smsConfig = SmsConfig.from(sms);
    String sender = smsConfig.sender();
    long latencyMs = simulators.latencyMs();
    routes.post(routePath(smsConfig.baseUrl()), rc -> receive(rc, vertx, inbox, verifier, sender, latencyMs));
    vertx.eventBus().<JsonObject>consumer(Addresses.SIM_SMS_INBOX, Replies.handle(body -> inbox(inbox, body)));
  }

  /** The gateway path under the simulator: the path of {@code sms.baseUrl} plus {@code /v1/sms}. */
  static String routePath(String baseUrl) {
    String base = "/sms";
    try {
      String p = URI.create(baseUrl).getRawPath();
      if (p != null) {
        base = p;
      }
    } catch (IllegalArgumentException e) {
      // keep the dev default
    }
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return base + "/v1/sms";
  }

  private void receive(SimRoutes.Call rc, Vertx vertx, SmsInbox inbox, SignatureVerifier verifier, String sender,
      long latencyMs) {
    Buffer raw = rc.body();
    if (!PeerSimulation.passes(rc, verifier.verify(rc.request().headers(), "POST", rc.request().path(), raw,
        ctx.clock.millis()))) {
      return;
    }
    JsonObject body;
    try {
      body = raw == null || raw.length() == 0 ? null : new JsonObject(raw);
    } catch (RuntimeException e) {
      body = null;
    }
    if (body == null) {
      error(rc, 400, "INVALID_JSON", "body is not a JSON object");
      return;
    }
    String messageId = str(body, "messageId", 128);
    String from = str(body, "sender", 32);
    String to = str(body, "to", 11);
    String text = str(body, "text", 4000);
    if (messageId == null || to == null || !TO.matcher(to).matches() || text == null || from == null) {
      error(rc, 400, "INVALID_FIELD", "messageId, sender, to (11 digits) and text are required");
      return;
    }
    if (!from.equals(sender)) {
      error(rc, 400, "SENDER_NOT_ALLOWED", "sender not registered for this key");
      return;
    }
    SmsInbox.Fault fault = inbox.onRequest(messageId, to);
    long delay = latencyMs + (fault == null ? 0 : fault.stallMs());
    Runnable answer = () -> {
      try {
        answer(rc, inbox, fault, messageId, from, to, text);
      } finally {
        inbox.onEnd(messageId);
      }
    };
    PeerSimulation.later(vertx, delay, answer);
  }

  /** The gateway's answer once the request's latency (and stall) passed: nothing when its caller gave up. */
  private void answer(SimRoutes.Call rc, SmsInbox inbox, SmsInbox.Fault fault, String messageId, String from, String to,
      String text) {
    if (rc.response().closed() || rc.response().ended()) {
      return;
    }
    if (fault != null && fault.status() != 0) {
      error(rc, fault.status(), "INJECTED_FAULT", "injected by a test");
      return;
    }
    boolean stored = inbox.accept(messageId, from, to, text, ctx.clock.millis());
    LOG.debug("sim sms {} to {}: {}", messageId, Phone.mask(to), stored ? "stored" : "repeat, already stored");
    rc.response().setStatusCode(200).putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("messageId", messageId).put("status", "QUEUED").encode());
  }

  private static Future<JsonObject> inbox(SmsInbox inbox, JsonObject body) {
    String p = SimSmsInbox.Request.of(body).phone();
    if (p == null) {
      return Failures.fail(ErrorCode.INVALID_FIELD);
    }
    String normalized = TO.matcher(p).matches() ? p : Phone.normalize(p);
    if (normalized == null) {
      return Failures.fail(ErrorCode.INVALID_PHONE);
    }
    JsonArray messages = new JsonArray();
    for (SmsInbox.Sms sms : inbox.messages(normalized)) {
      messages.add(sms.toJson());
    }
    return Future.succeededFuture(new JsonObject().put("messages", messages));
  }

  private static String str(JsonObject body, String key, int maxLength) {
    Object v = body.getValue(key);
    return v instanceof String s && !s.isEmpty() && s.length() <= maxLength ? s : null;
  }

  private static void error(SimRoutes.Call rc, int status, String code, String message) {
    PeerSimulation.error(rc, status, code, message);
  }
}
