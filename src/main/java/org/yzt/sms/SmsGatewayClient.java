package org.yzt.sms;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.net.ConnectException;
import java.time.Clock;
import org.yzt.config.HttpClientConfig;
import org.yzt.partner.SignedHttp;
import org.yzt.config.SmsConfig;

/**
 * The SMS gateway of SPEC §4, one attempt at a time: {@code POST {baseUrl}/v1/sms} over the
 * service's one {@link SignedHttp} client (no redirects, capped answer, hard deadline, bounded
 * wait queue). One per process ({@code AppContext.shared}), so all SmsVerticle instances share one
 * connection pool. It never retries: {@link SmsSender} decides, from the failure's kind.
 */
public final class SmsGatewayClient {
  private final SignedHttp http;
  private final String sender;

  /** With the default answer cap of {@code http.client.maxResponseBytes}. */
  public SmsGatewayClient(Vertx vertx, SmsConfig config) {
    this(vertx, config, HttpClientConfig.from(new JsonObject()), Clock.systemUTC());
  }

  /** {@code clock} stamps the signatures (the node's, {@code AppContext.clock}). */
  public SmsGatewayClient(Vertx vertx, SmsConfig config, HttpClientConfig client, Clock clock) {
    this.http = new SignedHttp(vertx, new SignedHttp.Peer("sms", config.baseUrl(), "/v1/sms", config.keyId(),
        config.secret(), config.timeoutMs(), config.maxPoolSize(), config.maxWaitQueue(), client.maxResponseBytes(),
        0, 0), clock);
    this.sender = config.sender();
  }

  /** The URL path that requests are signed over (exposed for tests and the simulator's route). */
  public String path() {
    return http.path();
  }

  /**
   * Hands one text to the gateway. Succeeds when it answers 2xx {@code {"messageId": <ours>,
   * "status": "QUEUED"}}; otherwise fails with an {@link SmsGatewayException} saying whether a
   * retry may help.
   */
  public Future<Void> send(String messageId, String to, String text, long timeoutMs) {
    Buffer body = new JsonObject()
        .put("messageId", messageId)
        .put("sender", sender)
        .put("to", to)
        .put("text", text)
        .toBuffer();
    return http.post(body, timeoutMs)
        .recover(t -> Future.failedFuture(classify(t)))
        .compose(response -> answer(response, messageId));
  }

  private static Future<Void> answer(SignedHttp.Answer response, String messageId) {
    int status = response.status();
    if (status >= 200 && status < 300) {
      JsonObject json;
      try {
        json = response.json();
      } catch (RuntimeException e) {
        json = null;
      }
      if (json != null && messageId.equals(json.getValue("messageId")) && "QUEUED".equals(json.getValue("status"))) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new SmsGatewayException(true, "malformed answer to HTTP " + status, null));
    }
    boolean transientStatus = SignedHttp.transientStatus(status);
    Long retryAfter = transientStatus ? retryAfterMs(response.header("Retry-After")) : null;
    // a 4xx other than 408/429 is a definite refusal; 3xx, 408, 429 and 5xx leave it open (SPEC §10)
    boolean refused = status >= 400 && status < 500 && !transientStatus;
    return Future.failedFuture(new SmsGatewayException(!transientStatus, "HTTP " + status, retryAfter, refused));
  }

  /**
   * An oversized answer is malformed (permanent); any other failure to get an answer is transient:
   * unsent when the connection was never made (refused, or the connect timeout), so nothing was
   * written; doubtful otherwise (a timeout or a reset after the request went out, SPEC §10).
   */
  private static SmsGatewayException classify(Throwable t) {
    SignedHttp.TooLarge tooLarge = SignedHttp.tooLarge(t);
    if (tooLarge != null) {
      return new SmsGatewayException(true, tooLarge.getMessage(), null);
    }
    boolean notConnected = false;
    for (Throwable c = t; c != null; c = c.getCause()) {
      notConnected |= c instanceof ConnectException;
    }
    return new SmsGatewayException(false, t.getClass().getSimpleName(), null, notConnected);
  }

  /** Retry-After in seconds (the HTTP-date form is ignored), as milliseconds; null when absent or odd. */
  static Long retryAfterMs(String header) {
    if (header == null) {
      return null;
    }
    try {
      long s = Long.parseLong(header.trim());
      return s >= 0 && s < 86_400 ? s * 1000 : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  public void close() {
    http.close();
  }
}
