package org.yzt.sms;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.streams.WriteStream;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import io.vertx.ext.web.codec.BodyCodec;
import io.vertx.ext.web.codec.spi.BodyStream;
import java.net.ConnectException;
import java.net.URI;
import org.yzt.common.RequestSigner;

/**
 * The SMS gateway of SPEC §4, one attempt at a time: {@code POST {baseUrl}/v1/sms}, signed, with a
 * timeout. One per process ({@code AppContext.shared}), so all SmsVerticle instances share one
 * connection pool. It never retries: {@link SmsSender} decides, from the failure's kind.
 */
public final class SmsGatewayClient {
  /** Far more than {@code {"messageId","status"}} needs; a bigger answer is malformed. */
  static final int MAX_ANSWER_BYTES = 16 * 1024;
  private static final String DEADLINE = "yzt.deadlineNanos";
  private final WebClient client;
  private final RequestSigner signer;
  private final String url;
  private final String path;
  private final String sender;

  public SmsGatewayClient(Vertx vertx, SmsConfig config) {
    this.url = config.baseUrl() + "/v1/sms";
    URI uri = URI.create(url);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException("sms.baseUrl is not an http(s) URL");
    }
    // the signed PATH is the path the request line carries, base path included
    this.path = uri.getRawPath();
    this.signer = new RequestSigner(config.keyId(), config.secret());
    this.sender = config.sender();
    WebClientOptions options = new WebClientOptions()
        .setKeepAlive(true)
        .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeoutMs()))
        .setUserAgent("yzt-sms")
        .setFollowRedirects(false);
    PoolOptions pool = new PoolOptions()
        .setHttp1MaxSize(config.maxPoolSize())
        .setHttp2MaxSize(Math.max(1, config.maxPoolSize() / 8))
        .setMaxWaitQueueSize(config.maxWaitQueue());
    this.client = WebClient.create(vertx, options, pool);
    if (client instanceof WebClientInternal internal) {
      internal.addInterceptor(hc -> enforceDeadline(vertx, hc));
    }
  }

  /** The URL path that requests are signed over (exposed for tests and the simulator's route). */
  public String path() {
    return path;
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
    HttpRequest<Buffer> request = client.requestAbs(HttpMethod.POST, url)
        .as(boundedBody())
        .timeout(timeoutMs)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Accept", "application/json");
    signer.sign(request.headers(), "POST", path, body);
    return request.sendBuffer(body)
        .recover(t -> Future.failedFuture(classify(t)))
        .compose(response -> answer(response, messageId));
  }

  private static Future<Void> answer(HttpResponse<Buffer> response, String messageId) {
    int status = response.statusCode();
    if (status >= 200 && status < 300) {
      JsonObject json;
      try {
        Buffer b = response.body();
        json = b == null ? null : new JsonObject(b);
      } catch (RuntimeException e) {
        json = null;
      }
      if (json != null && messageId.equals(json.getValue("messageId")) && "QUEUED".equals(json.getValue("status"))) {
        return Future.succeededFuture();
      }
      return Future.failedFuture(new SmsGatewayException(true, "malformed answer to HTTP " + status, null));
    }
    boolean transientStatus = status == 408 || status == 429 || status >= 500;
    Long retryAfter = transientStatus ? retryAfterMs(response.getHeader("Retry-After")) : null;
    // a 4xx other than 408/429 is a definite refusal; 3xx, 408, 429 and 5xx leave it open (SPEC §10)
    boolean refused = status >= 400 && status < 500 && !transientStatus;
    return Future.failedFuture(new SmsGatewayException(!transientStatus, "HTTP " + status, retryAfter, refused));
  }

  /**
   * Our own failure when the body stream raised it (somewhere in the cause chain), else a transient
   * one: unsent when the connection was never made (refused, or the connect timeout), so nothing
   * was written; doubtful otherwise (a timeout or a reset after the request went out).
   */
  private static SmsGatewayException classify(Throwable t) {
    boolean notConnected = false;
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof SmsGatewayException g) {
        return g;
      }
      notConnected |= c instanceof ConnectException;
    }
    return new SmsGatewayException(false, t.getClass().getSimpleName(), null, notConnected);
  }

  /** The answer's body, at most {@link #MAX_ANSWER_BYTES}: anything bigger is malformed, and dropped as it comes. */
  static BodyCodec<Buffer> boundedBody() {
    return () -> new BodyStream<Buffer>() {
      private final Buffer body = Buffer.buffer();
      private final Promise<Buffer> result = Promise.promise();

      @Override
      public Future<Buffer> result() {
        return result.future();
      }

      @Override
      public void handle(Throwable failure) {
        result.tryFail(failure);
      }

      @Override
      public Future<Void> write(Buffer data) {
        if (body.length() + data.length() > MAX_ANSWER_BYTES) {
          SmsGatewayException tooBig = new SmsGatewayException(true, "answer larger than " + MAX_ANSWER_BYTES + " bytes", null);
          result.tryFail(tooBig);
          return Future.failedFuture(tooBig);
        }
        body.appendBuffer(data);
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> end() {
        result.tryComplete(body);
        return Future.succeededFuture();
      }

      @Override
      public WriteStream<Buffer> exceptionHandler(Handler<Throwable> handler) {
        return this;
      }

      @Override
      public WriteStream<Buffer> setWriteQueueMaxSize(int maxSize) {
        return this;
      }

      @Override
      public boolean writeQueueFull() {
        return false;
      }

      @Override
      public WriteStream<Buffer> drainHandler(Handler<Void> handler) {
        return this;
      }
    };
  }

  /**
   * Makes a request's {@code timeout} a hard deadline for the whole exchange. Vert.x's request
   * timeout is an idle timeout that every byte resets, so a gateway trickling its answer would keep
   * the attempt, and its pooled connection, for ever; and once the answer has begun, a failed
   * attempt (an oversized body) no longer resets the request, so the connection would stay busy
   * until the gateway ends its answer. Here the response is reset at the deadline, or as soon as
   * the attempt fails, which closes the connection and gives its pool slot back. A web-client
   * interceptor (the mechanism its own session and OAuth2 clients use) is the one place that sees
   * the underlying response.
   */
  private static void enforceDeadline(Vertx vertx, HttpContext<?> hc) {
    if (hc.phase() == ClientPhase.PREPARE_REQUEST && hc.request().timeout() > 0) {
      hc.set(DEADLINE, System.nanoTime() + hc.request().timeout() * 1_000_000L);
    } else if (hc.phase() == ClientPhase.RECEIVE_RESPONSE && hc.get(DEADLINE) != null) {
      HttpClientResponse response = hc.clientResponse();
      long deadline = hc.get(DEADLINE);
      long leftMs = Math.max(1, (deadline - System.nanoTime()) / 1_000_000L);
      long timer = vertx.setTimer(leftMs, t -> response.request().reset());
      hc.future().onComplete(ar -> {
        vertx.cancelTimer(timer);
        if (ar.failed()) {
          response.request().reset();
        }
      });
    }
    hc.next();
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
    client.close();
  }
}
