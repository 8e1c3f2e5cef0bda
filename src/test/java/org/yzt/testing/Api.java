package org.yzt.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a client of the public API does, one blocking call at a time from the test thread: ask for a
 * captcha, ask for a code, read the code from the dev inbox, submit a query. Every answer is
 * checked against openapi.json ({@link OpenApiCheck}).
 */
public final class Api {
  private static final Pattern CODE = Pattern.compile("验证码为(\\d{6})");

  private final io.vertx.ext.web.client.WebClient client;
  private String forwardedFor;

  public Api(TestService service) {
    this(service.client());
  }

  /** A client of any node, e.g. one in another process (the client's default host and port name it). */
  public Api(io.vertx.ext.web.client.WebClient client) {
    this.client = client;
  }

  /** Requests appear to come from {@code ip} (the test config trusts 127.0.0.1 as a proxy). */
  public Api as(String ip) {
    Api a = new Api(client);
    a.forwardedFor = ip;
    return a;
  }

  public HttpResponse<Buffer> send(HttpMethod method, String path, String contentType, Buffer body, MultiMap headers) {
    HttpRequest<Buffer> req = client.request(method, path).timeout(15_000);
    if (forwardedFor != null) {
      req.putHeader("X-Forwarded-For", forwardedFor);
    }
    if (contentType != null) {
      req.putHeader("Content-Type", contentType);
    }
    if (headers != null) {
      req.putHeaders(headers);
    }
    HttpResponse<Buffer> r;
    try {
      r = (body == null ? req.send() : req.sendBuffer(body)).await(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("request failed: " + method + " " + path + ": " + e, e);
    }
    // every answer a test receives is also checked against the API description (SPEC §12)
    OpenApiCheck.get().check(method, path, r);
    return r;
  }

  public HttpResponse<Buffer> postJson(String path, JsonObject body) {
    return send(HttpMethod.POST, path, "application/json", body == null ? null : body.toBuffer(), null);
  }

  public HttpResponse<Buffer> postJson(String path, JsonObject body, MultiMap headers) {
    return send(HttpMethod.POST, path, "application/json", body.toBuffer(), headers);
  }

  public HttpResponse<Buffer> get(String path) {
    return send(HttpMethod.GET, path, null, null, null);
  }

  /** A query's status as GET /api/v1/queries/{id} tells it, or "HTTP <status>" when it does not answer 200. */
  public String queryStatus(String queryId) {
    HttpResponse<Buffer> r = get("/api/v1/queries/" + queryId);
    return r.statusCode() == 200 ? r.bodyAsJsonObject().getString("status") : "HTTP " + r.statusCode();
  }

  public String captchaId() {
    HttpResponse<Buffer> r = send(HttpMethod.POST, "/api/v1/captcha", null, null, null);
    if (r.statusCode() != 201) {
      throw new AssertionError("captcha: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getString("captchaId");
  }

  public HttpResponse<Buffer> requestCode(String phone) {
    return postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", phone).put("captchaId", captchaId()).put("captchaCode", TestService.CAPTCHA));
  }

  /** The newest code texted to {@code phone}, read from the dev inbox as a newcomer would. */
  public String latestCode(String phone) {
    JsonArray messages = inbox(phone);
    for (int i = 0; i < messages.size(); i++) {
      Matcher m = CODE.matcher(messages.getJsonObject(i).getString("text"));
      if (m.find()) {
        return m.group(1);
      }
    }
    throw new AssertionError("no code in the inbox");
  }

  public JsonArray inbox(String phone) {
    HttpResponse<Buffer> r = get("/dev/sms?phone=" + phone);
    if (r.statusCode() != 200) {
      throw new AssertionError("inbox: " + r.statusCode() + " " + r.bodyAsString());
    }
    return r.bodyAsJsonObject().getJsonArray("messages");
  }

  /** The texts {@code phone} received that are not codes, oldest first. */
  public java.util.List<String> resultTexts(String phone) {
    JsonArray inbox = inbox(phone);
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = inbox.size() - 1; i >= 0; i--) {
      String text = inbox.getJsonObject(i).getString("text");
      if (!text.contains("验证码")) {
        out.add(text);
      }
    }
    return out;
  }

  /** Asks for a code and returns it; fails the test if the code is not sent. */
  public String codeFor(String phone) {
    HttpResponse<Buffer> r = requestCode(phone);
    if (r.statusCode() != 202) {
      throw new AssertionError("sms-codes: " + r.statusCode() + " " + r.bodyAsString());
    }
    return latestCode(phone);
  }

  /** Asks for a code of {@code purpose} ("accounts" or "cards"). */
  public HttpResponse<Buffer> requestCode(String phone, String purpose) {
    return postJson("/api/v1/sms-codes", new JsonObject().put("phone", phone).put("captchaId", captchaId())
        .put("captchaCode", TestService.CAPTCHA).put("purpose", purpose));
  }

  /** Asks for a code of {@code purpose} and returns it; fails the test if the code is not sent. */
  public String codeFor(String phone, String purpose) {
    HttpResponse<Buffer> r = requestCode(phone, purpose);
    if (r.statusCode() != 202) {
      throw new AssertionError("sms-codes: " + r.statusCode() + " " + r.bodyAsString());
    }
    return latestCode(phone);
  }

  /** POST /api/v1/card-queries. */
  public HttpResponse<Buffer> submitCards(String phone, String name, String idNumber, String code) {
    return postJson("/api/v1/card-queries", cardQuery(phone, name, idNumber, code));
  }

  public static JsonObject cardQuery(String phone, String name, String idNumber, String code) {
    return new JsonObject().put("phone", phone).put("name", name).put("idNumber", idNumber).put("smsCode", code);
  }

  public HttpResponse<Buffer> submit(String phone, String idLast6, String code) {
    return postJson("/api/v1/queries", query(phone, idLast6, code));
  }

  public static JsonObject query(String phone, String idLast6, String code) {
    return new JsonObject().put("phone", phone).put("idLast6", idLast6).put("smsCode", code);
  }

  public static String errorCode(HttpResponse<Buffer> r) {
    JsonObject body = r.bodyAsJsonObject();
    return body == null || body.getJsonObject("error") == null ? null : body.getJsonObject("error").getString("code");
  }

  /**
   * The first sample of metric {@code name} on /metrics (any labels), or NaN when /metrics has none: a test
   * that needs the metric to exist asserts so.
   */
  public double metric(String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$").matcher(get("/metrics").bodyAsString());
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }
}
