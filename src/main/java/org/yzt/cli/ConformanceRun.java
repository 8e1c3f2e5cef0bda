package org.yzt.cli;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.privacy.Ids;
import org.yzt.partner.RequestSigner;
import org.yzt.partner.SignedHttp;

/**
 * The checks of {@code conformance} (SPEC §12) against one partner endpoint, made one after another
 * as the service would make them, with the service's own {@link SignedHttp}: a signed JSON POST, no
 * redirects followed, a hard deadline, the answer body capped at {@link #MAX_ANSWER_BYTES}. What a
 * partner answered is printed cut short and without control characters (a hostile answer cannot
 * move the cursor, rewrite earlier lines or flood the terminal).
 */
final class ConformanceRun {
  /** One check's outcome; {@code why} is null when it passed. */
  record Result(String name, String why) {
    boolean passed() {
      return why == null;
    }

    String line() {
      return passed() ? "PASS " + name : "FAIL " + name + ": " + printable(why, MAX_WHY_CHARS);
    }
  }

  private static final long SIX_MINUTES_MS = 6 * 60 * 1000L;
  /** The service's default {@code http.client.maxResponseBytes}: a longer answer is malformed. */
  static final int MAX_ANSWER_BYTES = 65_536;
  static final int MAX_WHY_CHARS = 300;
  private static final int SNIPPET_CHARS = 120;

  private final PartnerRole role;
  private final String baseUrl;
  private final String keyId;
  private final String secret;
  private final RequestSigner signer;
  private final PartnerRole.Probe probe;
  private final long timeoutMs;
  private final String messageId = Ids.random128();
  private String path;

  ConformanceRun(PartnerRole role, String baseUrl, String keyId, String secret, PartnerRole.Probe probe, long timeoutMs) {
    this.role = role;
    this.baseUrl = baseUrl;
    this.keyId = keyId;
    this.secret = secret;
    this.signer = new RequestSigner(keyId, secret);
    this.probe = probe;
    this.timeoutMs = timeoutMs;
  }

  List<Result> run() {
    Vertx vertx = Vertx.vertx();
    SignedHttp client = new SignedHttp(vertx, new SignedHttp.Peer("conformance", baseUrl, role.endpoint, keyId, secret,
        timeoutMs, 1, 8, MAX_ANSWER_BYTES, 0, 0));
    path = client.path();
    try {
      return checks(client);
    } finally {
      client.close();
      vertx.close();
    }
  }

  /** {@code s} without control or format characters (each becomes '?'), at most {@code max} characters. */
  static String printable(String s, int max) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), max + 1));
    for (int i = 0; i < s.length() && b.length() < max; ) {
      int c = s.codePointAt(i);
      i += Character.charCount(c);
      int type = Character.getType(c);
      boolean control = type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
          || type == Character.PARAGRAPH_SEPARATOR || type == Character.SURROGATE || type == Character.PRIVATE_USE
          || type == Character.UNASSIGNED;
      b.append(control ? "?" : new String(Character.toChars(c)));
      if (b.length() >= max && i < s.length()) {
        return b.append('…').toString();
      }
    }
    return b.toString();
  }

  private List<Result> checks(SignedHttp client) {
    List<Result> results = new ArrayList<>();
    for (Result r : endpointChecks(client)) {
      results.add(new Result(role.checkPrefix() + r.name(), r.why()));
    }
    return results;
  }

  private List<Result> endpointChecks(SignedHttp client) {
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
  private Result answered(String name, SignedHttp client, JsonObject request, long ts, String nonce) {
    Buffer body = request.toBuffer();
    Answer a = send(client, body, headers(body, ts, nonce, false));
    if (a.failure != null) {
      return new Result(name, a.failure);
    }
    if (a.response.status() != 200) {
      return new Result(name, "answered " + a.response.status() + ", expected 200 (" + snippet(a.response) + ")");
    }
    JsonObject answer;
    try {
      answer = a.response.json();
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
    int status = a.response.status();
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
    return h;
  }

  private record Answer(SignedHttp.Answer response, String failure) {}

  private Answer send(SignedHttp client, Buffer body, MultiMap headers) {
    try {
      return new Answer(client.postSignedBy(body, timeoutMs, h -> h.addAll(headers))
          .await(timeoutMs + 1000, TimeUnit.MILLISECONDS), null);
    } catch (Exception e) {
      if (e instanceof SignedHttp.DeadlinePassed || e instanceof java.util.concurrent.TimeoutException) {
        return new Answer(null, "no answer within " + timeoutMs + " ms");
      }
      if (SignedHttp.tooLarge(e) != null) {
        return new Answer(null, "malformed answer: the body is larger than " + MAX_ANSWER_BYTES + " bytes");
      }
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Answer(null, "request failed: " + why);
    }
  }

  private static String snippet(SignedHttp.Answer r) {
    String s = r.body().toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    return printable(s, SNIPPET_CHARS);
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
