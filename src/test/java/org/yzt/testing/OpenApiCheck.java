package org.yzt.testing;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Every response an HTTP test receives, checked against the API description the service serves
 * ({@code src/main/resources/openapi.json}, SPEC §12) with vertx-openapi: a documented route's
 * status, headers ({@code Cache-Control}, {@code Retry-After}) and JSON body; an undocumented
 * route's answer must be the error shape. {@link Api} calls it for every response, so the document
 * cannot drift from the code without a red test.
 */
public final class OpenApiCheck {
  /** Error statuses a route the document does not list may answer (404, or a body refused first). */
  private static final Set<Integer> UNROUTED = Set.of(400, 404, 405, 413, 415);
  private static volatile OpenApiCheck instance;

  private final JsonObject raw;
  private final OpenAPIContract contract;
  private final ResponseValidator validator;
  private final Validator errorShape;

  private OpenApiCheck(Vertx vertx, JsonObject raw) throws Exception {
    this.raw = raw;
    this.contract = OpenAPIContract.from(vertx, validatable(raw.copy())).await(30, TimeUnit.SECONDS);
    this.validator = ResponseValidator.create(vertx, contract);
    this.errorShape = Validator.create(JsonSchema.of(raw.getJsonObject("components").getJsonObject("schemas")
        .getJsonObject("Error")), new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("https://yzt.invalid/"));
  }

  /** The document as served, loaded once per test JVM on a Vert.x of its own. */
  public static OpenApiCheck get() {
    OpenApiCheck c = instance;
    if (c == null) {
      synchronized (OpenApiCheck.class) {
        if (instance == null) {
          try {
            instance = new OpenApiCheck(Vertx.vertx(new VertxOptions().setWorkerPoolSize(2)), document());
          } catch (Exception e) {
            throw new AssertionError("openapi.json does not load as an OpenAPI 3.1 contract: " + e.getMessage(), e);
          }
        }
        c = instance;
      }
    }
    return c;
  }

  /** src/main/resources/openapi.json, from the class path. */
  public static JsonObject document() {
    try (InputStream in = OpenApiCheck.class.getClassLoader().getResourceAsStream("openapi.json")) {
      if (in == null) {
        throw new AssertionError("openapi.json is not on the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Throws an AssertionError naming the request when {@code r} is not what the document says. */
  public void check(HttpMethod method, String uri, HttpResponse<Buffer> r) {
    String why = problem(method, uri, r.statusCode(), r.headers(), r.body());
    if (why != null) {
      throw new AssertionError("the answer to " + method + " " + uri + " (" + r.statusCode()
          + ") does not match openapi.json: " + why + "; body: " + snippet(r.bodyAsString()));
    }
  }

  /** Why this response does not match the document, or null when it does. */
  public String problem(HttpMethod method, String uri, int status, MultiMap headers, Buffer body) {
    String path = uri.split("\\?", 2)[0];
    String type = headers.get("Content-Type");
    String media = type == null ? null : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    Operation op = contract.findOperation(path, method);
    if (op == null) {
      return unrouted(status, media, body);
    }
    JsonObject declared = raw.getJsonObject("paths").getJsonObject(op.getOpenAPIPath())
        .getJsonObject(method.name().toLowerCase(Locale.ROOT)).getJsonObject("responses").getJsonObject(Integer.toString(status));
    if (declared == null) {
      return "status " + status + " is not documented for " + op.getOperationId();
    }
    JsonObject content = declared.getJsonObject("content");
    boolean hasBody = body != null && body.length() > 0;
    if (content != null && hasBody && (media == null || !content.containsKey(media))) {
      return "Content-Type " + type + " is not one of " + content.fieldNames();
    }
    Map<String, String> names = new HashMap<>();
    headers.forEach(e -> names.put(e.getKey(), e.getValue()));
    // the validator looks header parameters up by their documented spelling
    for (String h : new String[] {"Cache-Control", "Retry-After"}) {
      if (headers.contains(h)) {
        names.put(h, headers.get(h));
      }
    }
    // JSON bodies against their schema; other bodies (page, assets, metrics) by their media type above
    boolean checkBody = hasBody && MediaType.APPLICATION_JSON.equals(media);
    ValidatableResponse response = checkBody
        ? ValidatableResponse.create(status, names, body, media)
        : ValidatableResponse.create(status, names);
    try {
      validator.validate(response, op.getOperationId()).await(10, TimeUnit.SECONDS);
      return null;
    } catch (Exception e) {
      return e.getMessage();
    }
  }

  private String unrouted(int status, String media, Buffer body) {
    if (!UNROUTED.contains(status)) {
      return "no documented route, and " + status + " is not an error a client can cause";
    }
    if (!"application/json".equals(media) || body == null) {
      return "an undocumented route's error is not JSON";
    }
    OutputUnit out = errorShape.validate(body.toJsonObject());
    return out.getValid() ? null : "not the error shape: " + out.getErrors();
  }

  /** The document with only its JSON media types, which vertx-openapi validates (not HTML, CSS, script, SVG, text). */
  private static JsonObject validatable(JsonObject doc) {
    for (String p : doc.getJsonObject("paths").fieldNames()) {
      JsonObject item = doc.getJsonObject("paths").getJsonObject(p);
      for (String m : item.fieldNames()) {
        JsonObject responses = item.getJsonObject(m).getJsonObject("responses");
        for (String s : responses.fieldNames()) {
          JsonObject content = responses.getJsonObject(s).getJsonObject("content");
          if (content != null) {
            content.fieldNames().removeIf(t -> !MediaType.APPLICATION_JSON.equals(t));
            if (content.isEmpty()) {
              responses.getJsonObject(s).remove("content");
            }
          }
        }
      }
    }
    return doc;
  }

  private static String snippet(String s) {
    return s == null ? "" : s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
