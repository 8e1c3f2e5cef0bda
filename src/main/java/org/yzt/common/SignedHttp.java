package org.yzt.common;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * One outbound peer endpoint of SPEC §4: a JSON POST signed with the peer's key, over this peer's
 * own WebClient (its own connection pool), bounded by the peer's timeout from start to answer
 * (waiting for a pooled connection included).
 */
public final class SignedHttp {
  private final WebClient client;
  private final RequestSigner signer;
  private final String url;
  private final String path;
  private final long timeoutMs;

  public SignedHttp(Vertx vertx, String baseUrl, String endpoint, String keyId, String secret, long timeoutMs, int poolSize) {
    this.url = baseUrl.replaceAll("/+$", "") + endpoint;
    this.path = URI.create(url).getRawPath();
    this.signer = new RequestSigner(keyId, secret);
    this.timeoutMs = timeoutMs;
    this.client = WebClient.create(vertx, new WebClientOptions()
            .setUserAgent("yzt/1")
            .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, timeoutMs))
            .setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(Math.max(1, poolSize)).setMaxWaitQueueSize(-1));
  }

  public Future<HttpResponse<Buffer>> post(JsonObject body) {
    Buffer buf = body.toBuffer();
    HttpRequest<Buffer> req = client.postAbs(url).timeout(timeoutMs);
    MultiMap headers = req.headers();
    headers.set("Content-Type", "application/json");
    signer.sign(headers, "POST", path, buf);
    return req.sendBuffer(buf).timeout(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /** SPEC §4: 408, 429 and 5xx are worth retrying; other non-200 answers are final. */
  public static boolean transientStatus(int status) {
    return status == 408 || status == 429 || status >= 500;
  }

  public void close() {
    client.close();
  }
}
