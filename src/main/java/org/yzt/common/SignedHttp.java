package org.yzt.common;

import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.client.impl.ClientPhase;
import io.vertx.ext.web.client.impl.HttpContext;
import io.vertx.ext.web.client.impl.WebClientInternal;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * The one outbound client of SPEC §4 and §11, one per peer endpoint (carrier, enterprise, SMS
 * gateway): a JSON POST signed with the peer's key over the peer's own connection pool, with
 * <ul>
 *   <li>no redirects followed: a 3xx is the answer, final like a 4xx;</li>
 *   <li>the answer body capped ({@code maxResponseBytes}): a longer one fails the call with
 *       {@link TooLarge} (a malformed answer) as soon as the cap is passed;</li>
 *   <li>a hard deadline per request, waiting for a connection included, that resets the exchange
 *       and so closes the connection (Vert.x's request timeout is an idle timeout that every byte
 *       resets: a peer trickling its answer would hold the call, and its connection, for ever);</li>
 *   <li>a bounded queue of requests waiting for a pooled connection;</li>
 *   <li>optionally a circuit breaker, opened by {@code circuitMaxFailures} transient failures in a
 *       row (no answer, 408/429/5xx) and tried again after {@code circuitResetMs}; a final answer,
 *       even a refusal, is a success for it. While open, calls fail at once with its exception.</li>
 * </ul>
 */
public final class SignedHttp {
  /** One peer endpoint; {@code circuitMaxFailures} 0 means no breaker. */
  public record Peer(String name, String baseUrl, String endpoint, String keyId, String secret, long timeoutMs,
      int poolSize, int maxWaitQueue, int maxResponseBytes, int circuitMaxFailures, long circuitResetMs) {}

  /** The answer body passed the cap: a malformed answer. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(int max) {
      super("answer larger than " + max + " bytes", null, false, false);
    }
  }

  private static final String DEADLINE = "yzt.deadlineNanos";
  private final WebClient client;
  private final RequestSigner signer;
  private final String url;
  private final String path;
  private final long timeoutMs;
  private final int maxResponseBytes;
  private final CircuitBreaker breaker;

  public SignedHttp(Vertx vertx, Peer peer) {
    this.url = peer.baseUrl().replaceAll("/+$", "") + peer.endpoint();
    URI uri = URI.create(url);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(peer.name() + " baseUrl is not an http(s) URL");
    }
    // the signed PATH is the path the request line carries, base path included
    this.path = uri.getRawPath();
    this.signer = new RequestSigner(peer.keyId(), peer.secret());
    this.timeoutMs = peer.timeoutMs();
    this.maxResponseBytes = peer.maxResponseBytes();
    int pool = Math.max(1, peer.poolSize());
    this.client = WebClient.create(vertx, new WebClientOptions()
            .setUserAgent("yzt/1")
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setKeepAlive(true)
            .setFollowRedirects(false),
        new PoolOptions().setHttp1MaxSize(pool).setHttp2MaxSize(Math.max(1, pool / 8))
            .setMaxWaitQueueSize(Math.max(0, peer.maxWaitQueue())));
    if (client instanceof WebClientInternal internal) {
      internal.addInterceptor(hc -> enforceDeadline(vertx, hc));
    }
    this.breaker = peer.circuitMaxFailures() <= 0 ? null : CircuitBreaker.create(peer.name(), vertx,
        new CircuitBreakerOptions()
            .setMaxFailures(peer.circuitMaxFailures())
            .setResetTimeout(peer.circuitResetMs())
            .setTimeout(-1)
            .setNotificationAddress(null));
  }

  /** The URL path requests are signed over. */
  public String path() {
    return path;
  }

  /** The breaker's state (CLOSED when there is none). */
  public CircuitBreakerState circuitState() {
    return breaker == null ? CircuitBreakerState.CLOSED : breaker.state();
  }

  public Future<HttpResponse<Buffer>> post(JsonObject body) {
    return post(body.toBuffer(), timeoutMs);
  }

  /**
   * Posts {@code body}, within {@code deadlineMs}. Answers any status the peer gave (no redirect
   * followed); fails on no answer in time, a connection error, a full wait queue, {@link TooLarge},
   * or an open circuit.
   */
  public Future<HttpResponse<Buffer>> post(Buffer body, long deadlineMs) {
    if (breaker == null) {
      return send(body, deadlineMs);
    }
    // a transient status fails the breaker's operation and is handed back as the answer after it;
    // a final one, and a malformed (too large) body, count as successes for the breaker
    return breaker.<Object>execute(() -> send(body, deadlineMs).transform(ar -> {
      if (ar.failed()) {
        TooLarge tooLarge = tooLarge(ar.cause());
        return tooLarge != null ? Future.succeededFuture(tooLarge) : Future.failedFuture(ar.cause());
      }
      return transientStatus(ar.result().statusCode())
          ? Future.failedFuture(new TransientAnswer(ar.result())) : Future.succeededFuture(ar.result());
    })).transform(ar -> {
      if (ar.failed()) {
        return ar.cause() instanceof TransientAnswer t ? Future.succeededFuture(t.response) : Future.failedFuture(ar.cause());
      }
      return ar.result() instanceof TooLarge t ? Future.failedFuture(t) : Future.succeededFuture(cast(ar.result()));
    });
  }

  @SuppressWarnings("unchecked")
  private static HttpResponse<Buffer> cast(Object o) {
    return (HttpResponse<Buffer>) o;
  }

  private Future<HttpResponse<Buffer>> send(Buffer body, long deadlineMs) {
    HttpRequest<Buffer> req = client.requestAbs(HttpMethod.POST, url)
        .as(BoundedBody.codec(maxResponseBytes, () -> new TooLarge(maxResponseBytes)))
        .timeout(Math.max(1, deadlineMs))
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .putHeader("Accept", "application/json");
    signer.sign(req.headers(), "POST", path, body);
    // the request timeout does not bound a wait for a pooled connection; this bounds the whole call
    return req.sendBuffer(body).timeout(Math.max(1, deadlineMs), TimeUnit.MILLISECONDS);
  }

  /** SPEC §4: 408, 429 and 5xx are worth retrying; every other status that is not 2xx is final. */
  public static boolean transientStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  /** The {@link TooLarge} somewhere in {@code t}'s cause chain, or null. */
  public static TooLarge tooLarge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TooLarge tl) {
        return tl;
      }
    }
    return null;
  }

  /** A transient status, carried through the breaker as a failure. */
  private static final class TransientAnswer extends RuntimeException {
    final HttpResponse<Buffer> response;

    TransientAnswer(HttpResponse<Buffer> response) {
      super("HTTP " + response.statusCode(), null, false, false);
      this.response = response;
    }
  }

  /**
   * Makes a request's {@code timeout} a hard deadline for the whole exchange: once the answer has
   * begun, the response is reset at the deadline, or as soon as the call fails (an oversized body),
   * which closes the connection and gives its pool slot back. A web-client interceptor (the
   * mechanism its own session and OAuth2 clients use) is the one place that sees the underlying
   * response; before the answer begins, the request timeout itself ends the call.
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

  public void close() {
    if (breaker != null) {
      breaker.close();
    }
    client.close();
  }
}
