package org.yzt.cli;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.yzt.common.Ids;
import org.yzt.common.RequestSigner;

/**
 * The checks of {@code conformance} (SPEC §12) against one partner endpoint, made one after another
 * as the service would make them: a signed JSON POST, no redirects followed, a hard timeout.
 */
final class ConformanceRun {
  /** One check's outcome; {@code why} is null when it passed. */
  record Result(String name, String why) {
    boolean passed() {
      return why == null;
    }

    String line() {
      return passed() ? "PASS " + name : "FAIL " + name + ": " + why;
    }
  }

  private static final long SIX_MINUTES_MS = 6 * 60 * 1000L;

  private final PartnerRole role;
  private final String url;
  private final String path;
  private final RequestSigner signer;
  private final PartnerRole.Probe probe;
  private final long timeoutMs;
  private final String messageId = Ids.random128();

  ConformanceRun(PartnerRole role, String baseUrl, String keyId, String secret, PartnerRole.Probe probe, long timeoutMs) {
    this.role = role;
    this.url = baseUrl.replaceAll("/+$", "") + role.endpoint;
    this.path = URI.create(url).getRawPath();
    this.signer = new RequestSigner(keyId, secret);
    this.probe = probe;
    this.timeoutMs = timeoutMs;
  }

  List<Result> run() {
    Vertx vertx = Vertx.vertx();
    WebClient client = WebClient.create(vertx, new WebClientOptions().setUserAgent("yzt-conformance/1")
        .setFollowRedirects(false).setConnectTimeout((int) timeoutMs));
    try {
      return checks(client);
    } finally {
      client.close();
      vertx.close();
    }
  }

  private List<Result> checks(WebClient client) {
    List<Result> results = new ArrayList<>();
    for (Result r : endpointChecks(client)) {
      results.add(new Result(role.checkPrefix() + r.name(), r.why()));
    }
    return results;
  }

  private List<Result> endpointChecks(WebClient client) {
    List<Result> results = new ArrayList<>();
    JsonObject request = role.request(probe, messageId);
    results.add(answered("signed-request-answered", client, request, now(), Ids.hex(16)));

    JsonObject bad = role.request(probe, messageId);
    results.add(refused("bad-signature-refused", send(client, bad.toBuffer(), headers(bad.toBuffer(), now(), Ids.hex(16),
        true))));

    JsonObject stale = role.request(probe, messageId);
    results.add(refused("stale-timestamp-refused", send(client, stale.toBuffer(),
        headers(stale.toBuffer(), now() - SIX_MINUTES_MS, Ids.hex(16), false))));

    JsonObject once = role.request(probe, messageId);
    String nonce = Ids.hex(16);
    long ts = now();
    Result first = answered("replayed-nonce-refused", client, once, ts, nonce);
    if (!first.passed()) {
      results.add(new Result(first.name(), "the request before the replay was not accepted: " + first.why()));
    } else {
      results.add(refused("replayed-nonce-refused", send(client, once.toBuffer(), headers(once.toBuffer(), ts, nonce, false))));
    }

    JsonObject extra = role.request(probe, messageId).put("yztFutureField", "ignore me")
        .put("yztFutureObject", new JsonObject().put("nested", 1));
    results.add(answered("unknown-fields-tolerated", client, extra, now(), Ids.hex(16)));
    return results;
  }

  /** A correctly signed request: 200 in time, a well-formed JSON body that echoes the request's id. */
  private Result answered(String name, WebClient client, JsonObject request, long ts, String nonce) {
    Buffer body = request.toBuffer();
    Answer a = send(client, body, headers(body, ts, nonce, false));
    if (a.failure != null) {
      return new Result(name, a.failure);
    }
    if (a.response.statusCode() != 200) {
      return new Result(name, "answered " + a.response.statusCode() + ", expected 200 (" + snippet(a.response) + ")");
    }
    JsonObject answer;
    try {
      answer = a.response.bodyAsJsonObject();
    } catch (RuntimeException e) {
      answer = null;
    }
    if (answer == null) {
      return new Result(name, "the body is not a JSON object: " + snippet(a.response));
    }
    String expected = request.getString(role.idField);
    if (!expected.equals(answer.getValue(role.idField))) {
      return new Result(name, role.idField + " not echoed: sent " + expected + ", got " + answer.getValue(role.idField));
    }
    String why = role.malformation(answer);
    return new Result(name, why == null ? null : "malformed body: " + why);
  }

  private static Result refused(String name, Answer a) {
    if (a.failure != null) {
      return new Result(name, a.failure);
    }
    int status = a.response.statusCode();
    return new Result(name, status == 401 ? null : "answered " + status + ", expected 401");
  }

  private MultiMap headers(Buffer body, long ts, String nonce, boolean corrupt) {
    MultiMap h = MultiMap.caseInsensitiveMultiMap();
    signer.sign(h, "POST", path, body, ts, nonce);
    if (corrupt) {
      String sig = h.get(RequestSigner.SIGNATURE);
      // the same length and alphabet, one digit off
      h.set(RequestSigner.SIGNATURE, (sig.charAt(0) == '0' ? '1' : '0') + sig.substring(1));
    }
    return h.set("Content-Type", "application/json");
  }

  private record Answer(HttpResponse<Buffer> response, String failure) {}

  private Answer send(WebClient client, Buffer body, MultiMap headers) {
    HttpRequest<Buffer> req = client.postAbs(url).timeout(timeoutMs).putHeaders(headers);
    try {
      return new Answer(req.sendBuffer(body).await(timeoutMs + 1000, TimeUnit.MILLISECONDS), null);
    } catch (TimeoutException e) {
      return new Answer(null, "no answer within " + timeoutMs + " ms");
    } catch (Exception e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Answer(null, why.contains("timeout") || why.contains("Timeout")
          ? "no answer within " + timeoutMs + " ms" : "request failed: " + why);
    }
  }

  private static String snippet(HttpResponse<Buffer> r) {
    String s = r.bodyAsString();
    s = s == null ? "" : s.replaceAll("\\s+", " ");
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
