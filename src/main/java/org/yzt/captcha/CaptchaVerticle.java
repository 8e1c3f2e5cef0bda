package org.yzt.captcha;

import io.vertx.core.Future;
import java.util.List;
import io.vertx.core.VerticleBase;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.bus.Replies;
import org.yzt.contract.CaptchaIssue;
import org.yzt.contract.CaptchaVerify;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.runtime.AppContext;

/**
 * The image captcha on the event bus (SPEC §8). An event-loop verticle: images are drawn ahead on
 * worker threads by the process's {@link CaptchaPool}, so issuing one is a pool take and a Redis
 * {@code SET}, and an empty pool renders on a worker.
 *
 * <ul>
 *   <li>{@code yzt.captcha.issue}, body {@code {}} or {@code {"kind": "image"}} → {@code {"captchaId",
 *       "image": "data:image/png;base64,…", "expiresInSeconds"}}; {@code {"kind": "audio"}} → {@code
 *       {"captchaId", "audio": "data:audio/wav;base64,…", "expiresInSeconds"}} (SPEC §2.1); another
 *       kind fails 400 {@code INVALID_FIELD}.</li>
 *   <li>{@code yzt.captcha.issueChecked}, {@code {"kind"?, "client": ip, "requestId"?}}: the same with the
 *       per-IP limits counted in the script that stores the captcha (standalone and Sentinel); fails 429
 *       {@code RATE_LIMITED} as the limiter does.</li>
 *   <li>{@code yzt.captcha.verify}, body {@code {"captchaId", "answer"}} → {@code {}}; the captcha
 *       is consumed whatever the outcome. Fails 400 {@code CAPTCHA_INVALID} when the answer is
 *       wrong or missing, or the captcha unknown, expired or used; 503 {@code SERVICE_UNAVAILABLE}
 *       when Redis does not answer. A failure is logged at WARN with {@code event=security.captcha_invalid}
 *       and the message's optional {@code requestId}.</li>
 * </ul>
 */
public final class CaptchaVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(CaptchaVerticle.class);

  private final AppContext ctx;

  public CaptchaVerticle(AppContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Future<?> start() {
    CaptchaService service;
    try {
      service = new CaptchaService(ctx);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    if (service.config().fixed() && !CaptchaImage.canRender(service.config().fixedAnswer())) {
      LOG.warn("captcha.fixedAnswer has characters the images cannot draw; images show random characters");
    }
    MessageConsumer<Object> issue = vertx.eventBus().consumer(CaptchaIssue.ADDRESS,
        Replies.handleAny(body -> service.issue(CaptchaIssue.Request.of(body).kind())));
    // standalone and Sentinel: the limits and the captcha in one script (a cluster's gateway sends to the next)
    CaptchaLimits limits = new CaptchaLimits(ctx);
    Handler<Message<Object>> checked = Replies.handleAny(body -> {
      CaptchaIssue.Checked request = CaptchaIssue.Checked.of(body);
      return service.issue(request.kind(), limits, request.client(), request.requestId());
    });
    MessageConsumer<Object> issueChecked = vertx.eventBus().consumer(CaptchaIssue.Checked.ADDRESS, checked);
    // a Redis Cluster, a client whose limits share one slot: the captcha's id names that slot, so the same
    MessageConsumer<Object> issueInSlot = vertx.eventBus().consumer(CaptchaIssue.Checked.IN_SLOT_ADDRESS, checked);
    MessageConsumer<Object> verify = vertx.eventBus().consumer(CaptchaVerify.ADDRESS,
        Replies.handleAny(body -> verify(service, CaptchaVerify.Request.of(body))));
    return Future.all(List.of(issue.completion(), issueChecked.completion(), issueInSlot.completion(),
        verify.completion(), limits.warm()));
  }

  private static Future<JsonObject> verify(CaptchaService service, CaptchaVerify.Request request) {
    return service.verify(request.captchaId(), request.answer())
            .onFailure(err -> {
              if (Failures.codeOf(err) == ErrorCode.CAPTCHA_INVALID) {
                String rid = request.requestId();
                LOG.atWarn().addKeyValue("requestId", rid == null ? "-" : rid)
                    .addKeyValue("event", "security.captcha_invalid").log("security: captcha failed");
              }
            })
            .map(v -> new JsonObject());
  }
}
