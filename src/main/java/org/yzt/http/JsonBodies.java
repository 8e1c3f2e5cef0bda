package org.yzt.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.yzt.contract.CaptchaKind;
import org.yzt.contract.ErrorCode;

/** Request bodies of the API: JSON only (415 otherwise), one object (INVALID_JSON otherwise), string fields. */
final class JsonBodies {
  private static final CharSequence CONTENT_TYPE = HttpHeaders.createOptimized("Content-Type");

  private JsonBodies() {}

  /** A route step: on to the next handler when the body is declared JSON, else 415. */
  static void requireJson(RoutingContext rc) {
    String type = rc.request().getHeader(CONTENT_TYPE);
    if (type == null || !("application/json".equals(type) || "application/json".equals(mediaType(type)))) {
      HttpErrors.send(rc, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
      return;
    }
    rc.next();
  }

  private static String mediaType(String contentType) {
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  /** The body as a JSON object, or null after answering INVALID_JSON. */
  static JsonObject jsonBody(RoutingContext rc) {
    JsonObject body = parsedBody(rc);
    if (body == null) {
      HttpErrors.send(rc, ErrorCode.INVALID_JSON);
    }
    return body;
  }

  /** The body as a JSON object, or null when it is empty or not a JSON object. */
  static JsonObject parsedBody(RoutingContext rc) {
    Buffer buf = rc.body().buffer();
    if (buf == null || buf.length() == 0) {
      return null;
    }
    try {
      Object parsed = Json.decodeValue(buf);
      if (parsed instanceof JsonObject obj) {
        return obj;
      }
    } catch (RuntimeException e) {
      // falls through: not JSON at all
    }
    return null;
  }

  /**
   * The captcha a {@code POST /api/v1/captcha} asks for (SPEC §2.1): no body, {@code {}} or {@code
   * {"kind": "image"}} the image, {@code {"kind": "audio"}} the spoken one; or null after answering
   * 415 for a body that is not JSON, INVALID_JSON, or INVALID_FIELD for another kind.
   */
  static CaptchaKind captchaKind(RoutingContext rc) {
    Buffer buf = rc.body().buffer();
    if (buf == null || buf.length() == 0) {
      return CaptchaKind.IMAGE;
    }
    String type = rc.request().getHeader(CONTENT_TYPE);
    if (type == null || !"application/json".equals(mediaType(type))) {
      HttpErrors.send(rc, ErrorCode.UNSUPPORTED_MEDIA_TYPE);
      return null;
    }
    JsonObject body = jsonBody(rc);
    if (body == null) {
      return null;
    }
    if (!body.containsKey("kind")) {
      return CaptchaKind.IMAGE;
    }
    CaptchaKind kind = CaptchaKind.of(stringField(body, "kind"));
    if (kind == null) {
      HttpErrors.send(rc, ErrorCode.INVALID_FIELD);
    }
    return kind;
  }

  /** A string field's value, or null when it is missing or of another type. */
  static String stringField(JsonObject body, String name) {
    Object v = body.getValue(name);
    return v instanceof String s ? s : null;
  }
}
