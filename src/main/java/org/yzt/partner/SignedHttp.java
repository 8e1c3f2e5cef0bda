package org.yzt.partner;

import org.yzt.time.Deadlines;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * The one outbound client of SPEC §4 and §11, one per peer endpoint (carrier, enterprise, SMS
 * gateway): a JSON POST signed with the peer's key over the peer's own connection pool, with
 * <ul>
 *   <li>no redirects followed: a 3xx is the answer, final like a 4xx;</li>
 *   <li>the answer body capped ({@code maxResponseBytes}): a longer one fails the call with
 *       {@link TooLarge} (a malformed answer) as soon as the cap is passed;</li>
 *   <li>a hard deadline per request, waiting for a pooled connection included, that resets the
 *       exchange and so closes the connection (a peer trickling its answer cannot hold the call, or
 *       its connection, past it): one {@link Deadlines} entry per request, its only timer;</li>
 *   <li>a bounded queue of requests waiting for a pooled connection;</li>
 *   <li>optionally a circuit breaker, opened by {@code circuitMaxFailures} transient failures in a
 *       row (no answer, 408/429/5xx) and tried again after {@code circuitResetMs}; a final answer,
 *       even a refusal, is a success for it. While open, calls fail at once with its exception.</li>
 * </ul>
 * Built on Vert.x's core HTTP client (the web client's per-request machinery costs more than the
 * exchange itself at the pipeline's rates); one {@link SignedExchange} per request.
 */
public final class SignedHttp {
  /** One peer endpoint; {@code circuitMaxFailures} 0 means no breaker. */
  public record Peer(String name, String baseUrl, String endpoint, String keyId, String secret, long timeoutMs,
      int poolSize, int maxWaitQueue, int maxResponseBytes, int circuitMaxFailures, long circuitResetMs) {}

  /** A peer's answer, whatever its status: the status, the headers, the body (at most the cap). */
  public record Answer(int status, MultiMap headers, Buffer body) {
    /** The body as a JSON object; null when empty; throws on a body that is not JSON. */
    public JsonObject json() {
      return body.length() == 0 ? null : new JsonObject(body);
    }

    public String header(String name) {
      return headers.get(name);
    }
  }

  /** The answer body passed the cap: a malformed answer. */
  public static final class TooLarge extends RuntimeException {
    TooLarge(int max) {
      super("answer larger than " + max + " bytes", null, false, false);
    }
  }

  /** No complete answer by the request's deadline (a connection wait included). */
  public static final class DeadlinePassed extends RuntimeException {
    DeadlinePassed(long ms) {
      super("no answer within " + ms + " ms", null, false, false);
    }
  }

  private static final CharSequence JSON_UTF8 = HttpHeaders.createOptimized("application/json; charset=utf-8");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence USER_AGENT = HttpHeaders.createOptimized("yzt/1");

  private final HttpClient client;
  private final RequestSigner signer;
  private final String host;
  private final int port;
  private final boolean ssl;
  private final String path;
  private final long timeoutMs;
  private final int maxResponseBytes;
  private final CircuitBreaker breaker;

  /** A client whose signatures are stamped by the system clock (the admin tool). */
  public SignedHttp(Vertx vertx, Peer peer) {
    this(vertx, peer, Clock.systemUTC());
  }

  /** A client whose signatures are stamped by {@code clock} (the node's, {@code AppContext.clock}). */
  public SignedHttp(Vertx vertx, Peer peer, Clock clock) {
    String url = peer.baseUrl().replaceAll("/+$", "") + peer.endpoint();
    URI uri = URI.create(url);
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException(peer.name() + " baseUrl is not an http(s) URL");
    }
    this.ssl = "https".equals(uri.getScheme());
    this.host = uri.getHost();
    this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
    // the signed PATH is the path the request line carries, base path included
    this.path = uri.getRawPath();
    this.signer = new RequestSigner(peer.keyId(), peer.secret(), clock);
    this.timeoutMs = peer.timeoutMs();
    this.maxResponseBytes = peer.maxResponseBytes();
    int pool = Math.max(1, peer.poolSize());
    this.client = vertx.httpClientBuilder()
        .with(new HttpClientOptions()
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setKeepAlive(true))
        .with(new PoolOptions().setHttp1MaxSize(pool).setHttp2MaxSize(Math.max(1, pool / 8))
            .setMaxWaitQueueSize(Math.max(0, peer.maxWaitQueue())))
        .build();
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

  public Future<Answer> post(JsonObject body) {
    return post(body.toBuffer(), timeoutMs);
  }

  /**
   * Posts {@code body}, within {@code deadlineMs}. Answers any status the peer gave (no redirect
   * followed); fails on no answer in time ({@link DeadlinePassed}), a connection error, a full wait
   * queue, {@link TooLarge}, or an open circuit.
   */
  public Future<Answer> post(Buffer body, long deadlineMs) {
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
      return transientStatus(ar.result().status())
          ? Future.failedFuture(new TransientAnswer(ar.result())) : Future.succeededFuture(ar.result());
    })).transform(ar -> {
      if (ar.failed()) {
        return ar.cause() instanceof TransientAnswer t ? Future.succeededFuture(t.answer) : Future.failedFuture(ar.cause());
      }
      return ar.result() instanceof TooLarge t ? Future.failedFuture(t) : Future.succeededFuture((Answer) ar.result());
    });
  }

  /**
   * Posts {@code body} signed by {@code sign} instead of this peer's signer (the partner kit's
   * {@code conformance} sends stale, replayed and corrupted signatures on purpose); no breaker, the
   * same cap, deadline and redirect rule as every call of the service.
   */
  public Future<Answer> postSignedBy(Buffer body, long deadlineMs, Consumer<MultiMap> sign) {
    return send(body, deadlineMs, sign);
  }

  private Future<Answer> send(Buffer body, long deadlineMs) {
    return send(body, deadlineMs, headers -> signer.sign(headers, "POST", path, body));
  }

  private Future<Answer> send(Buffer body, long deadlineMs, Consumer<MultiMap> sign) {
    long ms = Math.max(1, deadlineMs);
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port).setSsl(ssl)
        .setURI(path).setFollowRedirects(false);
    SignedExchange exchange = new SignedExchange(maxResponseBytes, () -> new TooLarge(maxResponseBytes));
    Deadlines.Handle deadline = Deadlines.after(ms, () -> exchange.fail(new DeadlinePassed(ms)));
    client.request(options).onComplete(ar -> {
      if (ar.failed()) {
        exchange.fail(ar.cause());
        return;
      }
      MultiMap headers = ar.result().headers()
          .set(HttpHeaders.CONTENT_TYPE, JSON_UTF8)
          .set(HttpHeaders.ACCEPT, JSON)
          .set(HttpHeaders.USER_AGENT, USER_AGENT);
      sign.accept(headers);
      exchange.start(ar.result(), body);
    });
    return exchange.result().onComplete(ar -> deadline.cancel());
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
    final Answer answer;

    TransientAnswer(Answer answer) {
      super("HTTP " + answer.status(), null, false, false);
      this.answer = answer;
    }
  }

  public void close() {
    if (breaker != null) {
      breaker.close();
    }
    client.close();
  }
}
