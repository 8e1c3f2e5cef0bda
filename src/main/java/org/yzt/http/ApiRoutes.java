package org.yzt.http;

import org.yzt.config.RedisConfig;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.yzt.privacy.Ids;
import org.yzt.privacy.Phone;
import org.yzt.config.CarrierConfig;
import org.yzt.config.EnterpriseConfig;
import org.yzt.config.HttpConfig;
import org.yzt.config.SimulatorsConfig;
import org.yzt.config.SmsConfig;
import org.yzt.contract.BadMessage;
import org.yzt.contract.Bus;
import org.yzt.contract.CaptchaIssue;
import org.yzt.contract.CaptchaKind;
import org.yzt.contract.CaptchaVerify;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.FrontDoorClient;
import org.yzt.contract.PhoneNumber;
import org.yzt.contract.QueryKind;
import org.yzt.contract.QueryStatus;
import org.yzt.contract.RateLimitAcquire;
import org.yzt.contract.SmsCodeClient;
import org.yzt.contract.SmsCodeSend;
import org.yzt.runtime.AppContext;

/**
 * The public API of SPEC §2 under {@code /api/v1}, plus {@code /dev/sms}. Handlers validate in the
 * order the SPEC gives and hand the rest to verticles over the event bus.
 */
final class ApiRoutes {
  static final String REQUEST_ID = "requestId";
  static final CharSequence IDEMPOTENCY_KEY = HttpHeaders.createOptimized("Idempotency-Key");

  private final AppContext ctx;
  private final FrontDoorClient bus;
  private final ClientIp clientIp;
  private final Set<String> carrierPrefixes = new HashSet<>();
  private final JsonObject enterprises;
  private final SmsCodeClient smsCodes;
  private final boolean simulators;
  private final ApiMetrics metrics;
  /**
   * Standalone or Sentinel: a code's limit, captcha and code are one script (see {@link #codeStepByStep}), and a
   * captcha's limits and the captcha another ({@link #captchaStepByStep}).
   */
  private final boolean oneScriptCodes;
  /** A Redis Cluster: which steps of one client share a slot. */
  private final ClientSlots slots;

  ApiRoutes(AppContext ctx) {
    this.ctx = ctx;
    this.bus = new FrontDoorClient(ctx.vertx);
    HttpConfig http = HttpConfig.from(ctx.config);
    this.clientIp = new ClientIp(new JsonArray(new ArrayList<>(http.trustedProxies())), http.ipv6PrefixLength());
    for (CarrierConfig c : CarrierConfig.all(ctx.config)) {
      carrierPrefixes.addAll(c.prefixes());
    }
    this.enterprises = publicEnterprises(EnterpriseConfig.all(ctx.config));
    this.smsCodes = new SmsCodeClient(new Bus(ctx.vertx),
        SmsConfig.from(ctx.section("sms")).defaultDeliverWithinMs());
    this.simulators = SimulatorsConfig.from(ctx.config).enabled();
    this.metrics = new ApiMetrics(ctx.metrics);
    this.oneScriptCodes = RedisConfig.from(ctx.config).type() != RedisConfig.Type.CLUSTER;
    this.slots = new ClientSlots(ctx.keys, http.ipv6SitePrefixLength());
  }

  void mount(Router router) {
    int maxBody = HttpConfig.from(ctx.config).maxBodyBytes();
    // every method, so that an unknown /api/v1 path is a 404 and not a 405 for "POST only"
    router.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(maxBody).setHandleFileUploads(false));
    router.post("/api/v1/captcha").handler(metrics.route("captcha")).handler(this::issueCaptcha);
    router.post("/api/v1/sms-codes").handler(metrics.route("sms-codes")).handler(JsonBodies::requireJson).handler(this::sendSmsCode);
    QueryRoute queries = new QueryRoute(bus, clientIp, carrierPrefixes);
    router.post("/api/v1/queries").handler(metrics.route("queries")).handler(JsonBodies::requireJson).handler(queries::handle);
    CardQueryRoute cards = new CardQueryRoute(bus, clientIp, carrierPrefixes);
    router.post("/api/v1/card-queries").handler(metrics.route("card-queries")).handler(JsonBodies::requireJson).handler(cards::handle);
    router.get("/api/v1/queries/:queryId").handler(metrics.route("query-status")).handler(this::queryStatus);
    router.get("/api/v1/enterprises").handler(rc -> json(rc, 200, enterprises));
    router.get("/dev/sms").handler(this::devInbox);
  }

  // ---- POST /api/v1/captcha

  private void issueCaptcha(RoutingContext rc) {
    CaptchaKind kind = JsonBodies.captchaKind(rc);
    if (kind == null) {
      return;
    }
    CaptchaIssue.Checked request;
    try {
      request = new CaptchaIssue.Checked(kind, clientIp.of(rc.request()), requestId(rc));
    } catch (BadMessage e) {
      HttpErrors.send(rc, e); // an address the limiter would refuse: 400, as it would answer
      return;
    }
    Future<CaptchaIssue.Reply> issued;
    if (oneScriptCodes || slots.limitsInOneSlot(request.client())) {
      // a node of an older version has neither address: then the limiter's hop and the captcha's
      issued = (oneScriptCodes ? bus.issueCaptcha(request) : bus.issueCaptchaInSlot(request))
          .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
              ? captchaStepByStep(rc, kind) : Future.failedFuture(err));
    } else {
      issued = captchaStepByStep(rc, kind);
    }
    issued.onSuccess(answer -> json(rc, 201, answer.toJson()))
        .onFailure(err -> HttpErrors.send(rc, err));
  }

  /**
   * The captcha's steps of one slot each (a Redis Cluster: SPEC §11): the per-IP limits, then the captcha; on
   * standalone and Sentinel one message and one script do both ({@link CaptchaIssue.Checked}).
   */
  private Future<CaptchaIssue.Reply> captchaStepByStep(RoutingContext rc, CaptchaKind kind) {
    // a spoken captcha counts against the captcha limit and, being cheaper to solve, its own (SPEC §2.1)
    Future<RateLimitAcquire.Reply> limited = limit(rc, "captcha");
    if (kind == CaptchaKind.AUDIO) {
      limited = limited.compose(v -> limit(rc, "audioCaptcha"));
    }
    return limited.compose(v -> bus.issueCaptcha(new CaptchaIssue.Request(kind)));
  }

  // ---- POST /api/v1/sms-codes

  private void sendSmsCode(RoutingContext rc) {
    JsonObject body = JsonBodies.jsonBody(rc);
    if (body == null) {
      return;
    }
    String rawPhone = JsonBodies.stringField(body, "phone");
    String captchaId = JsonBodies.stringField(body, "captchaId");
    String captchaCode = JsonBodies.stringField(body, "captchaCode");
    Object purposeValue = body.getValue("purpose");
    QueryKind purpose = purposeValue == null ? QueryKind.ACCOUNTS
        : purposeValue instanceof String p ? QueryKind.ofPurpose(p) : null;
    if (rawPhone == null || captchaId == null || captchaCode == null || purpose == null) {
      HttpErrors.send(rc, ErrorCode.INVALID_FIELD);
      return;
    }
    rc.put(ApiMetrics.KIND, purpose.wire);
    String phone = validPhone(rc, rawPhone);
    if (phone == null) {
      return;
    }
    String client = clientIp.of(rc.request());
    Future<SmsCodeSend.Reply> sent;
    if (oneScriptCodes || slots.captchaWithLimits(client, captchaId)) {
      // a Redis Cluster: the limit and the captcha in one script, then the code's (SPEC §11's slots); a node
      // of an older version has neither address: then the steps one by one
      SmsCodeSend.Checked request = new SmsCodeSend.Checked(new PhoneNumber(phone), purpose, captchaId, captchaCode,
          client, requestId(rc));
      sent = (oneScriptCodes ? smsCodes.send(request) : smsCodes.sendInSlot(request))
          .recover(err -> err instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
              ? codeStepByStep(rc, phone, purpose, captchaId, captchaCode) : Future.failedFuture(err));
    } else {
      sent = codeStepByStep(rc, phone, purpose, captchaId, captchaCode);
    }
    sent.onSuccess(answer -> json(rc, 202, answer.toJson()))
        .onFailure(err -> HttpErrors.send(rc, err));
  }

  /**
   * The code's steps of one slot each (a Redis Cluster: SPEC §11): the per-IP limit, the captcha, then
   * the code; on standalone and Sentinel one message and one script do all three ({@link SmsCodeSend.Checked}).
   */
  private Future<SmsCodeSend.Reply> codeStepByStep(RoutingContext rc, String phone, QueryKind purpose, String captchaId,
      String captchaCode) {
    return limit(rc, "smsCodes")
        .compose(v -> bus.verifyCaptcha(new CaptchaVerify.Request(captchaId, captchaCode, requestId(rc))))
        .compose(v -> smsCodes.send(new SmsCodeSend.Request(new PhoneNumber(phone), purpose, requestId(rc),
            ctx.keys.clientToken(clientIp.of(rc.request())))));
  }

  // ---- shared by the query routes

  /** True after answering INVALID_FIELD when the request came with a malformed Idempotency-Key (SPEC §2.3). */
  static boolean refusedIdempotencyKey(RoutingContext rc, String key) {
    if (key != null && !validIdempotencyKey(key)) {
      HttpErrors.send(rc, ErrorCode.INVALID_FIELD);
      return true;
    }
    return false;
  }

  static boolean validIdempotencyKey(String key) {
    if (key.isEmpty() || key.length() > 64) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (c < 0x21 || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  // ---- GET /api/v1/queries/{id}

  private void queryStatus(RoutingContext rc) {
    String id = rc.pathParam("queryId");
    if (!Ids.looksLikeQueryId(id)) {
      HttpErrors.send(rc, ErrorCode.NOT_FOUND);
      return;
    }
    bus.status(new QueryStatus.Request(id))
        .onSuccess(answer -> json(rc, 200, answer))
        .onFailure(err -> HttpErrors.send(rc, err));
  }

  // ---- GET /dev/sms?phone=

  private void devInbox(RoutingContext rc) {
    if (!simulators) {
      HttpErrors.send(rc, ErrorCode.NOT_FOUND);
      return;
    }
    String raw = rc.queryParams().get("phone");
    if (raw == null) {
      HttpErrors.send(rc, ErrorCode.INVALID_FIELD);
      return;
    }
    String phone = Phone.normalize(raw);
    if (phone == null) {
      HttpErrors.send(rc, ErrorCode.INVALID_PHONE);
      return;
    }
    bus.devInbox(new PhoneNumber(phone))
        .onSuccess(answer -> json(rc, 200, answer))
        .onFailure(err -> HttpErrors.send(rc, err));
  }

  // ---- shared steps

  private Future<RateLimitAcquire.Reply> limit(RoutingContext rc, String bucket) {
    try {
      return bus.acquire(new RateLimitAcquire.Request(bucket, clientIp.of(rc.request()), requestId(rc)));
    } catch (BadMessage e) {
      return Future.failedFuture(e); // an address the limiter would refuse: 400, as it would answer
    }
  }

  /** Normalised number, or null after answering INVALID_PHONE / UNSUPPORTED_NUMBER. */
  private String validPhone(RoutingContext rc, String raw) {
    String phone = Phone.normalize(raw);
    if (phone == null) {
      HttpErrors.send(rc, ErrorCode.INVALID_PHONE);
      return null;
    }
    if (!carrierPrefixes.contains(phone.substring(0, 3))) {
      HttpErrors.send(rc, ErrorCode.UNSUPPORTED_NUMBER);
      return null;
    }
    return phone;
  }

  static String requestId(RoutingContext rc) {
    String id = rc.get(REQUEST_ID);
    return id == null ? "-" : id;
  }

  static void json(RoutingContext rc, int status, JsonObject body) {
    if (rc.response().ended()) {
      return;
    }
    // Jackson writes UTF-8 into the buffer: no String made and encoded again
    HttpErrors.endJson(rc.response().setStatusCode(status), body.toBuffer());
  }

  private static JsonObject publicEnterprises(List<EnterpriseConfig> configured) {
    JsonArray list = new JsonArray();
    for (EnterpriseConfig e : configured) {
      // only what a person may see: never baseUrl, keyId or secret
      list.add(new JsonObject()
          .put("id", e.id())
          .put("name", e.name())
          .put("apps", new JsonArray(new ArrayList<>(e.apps())))
          .put("hotline", e.hotline())
          .put("guideUrl", e.guideUrl()));
    }
    return new JsonObject().put("enterprises", list);
  }
}
