package org.yzt.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;

/** The one error shape of SPEC §2: {"error": {"code", "message", …details}}, with Retry-After on limits. */
public final class HttpErrors {
  private HttpErrors() {}

  public static void send(RoutingContext rc, ErrorCode code) {
    send(rc, code, new JsonObject());
  }

  public static void send(RoutingContext rc, Throwable failure) {
    send(rc, Failures.codeOf(failure), Failures.detailsOf(failure));
  }

  public static void send(RoutingContext rc, ErrorCode code, JsonObject details) {
    if (rc.response().ended() || rc.response().headWritten()) {
      return;
    }
    rc.put(ApiMetrics.ERROR, code.name());
    JsonObject error = new JsonObject().put("code", code.name()).put("message", message(code, details));
    if (details.containsKey(Failures.REMAINING_ATTEMPTS)) {
      error.put(Failures.REMAINING_ATTEMPTS, details.getInteger(Failures.REMAINING_ATTEMPTS));
    }
    JsonObject body = new JsonObject().put("error", error);
    // also at the top level, where SPEC §2.2 reads it ("body also has remainingAttempts")
    if (details.containsKey(Failures.REMAINING_ATTEMPTS)) {
      body.put(Failures.REMAINING_ATTEMPTS, details.getInteger(Failures.REMAINING_ATTEMPTS));
    }
    var resp = rc.response().setStatusCode(code.status).putHeader(CACHE_CONTROL, NO_STORE);
    if (code.status == 429 || code.status == 503) {
      long retry = details.getLong(Failures.RETRY_AFTER, code.status == 503 ? 2L : 60L);
      resp.putHeader(RETRY_AFTER, Long.toString(Math.max(1, retry)));
    }
    endJson(resp, body.toBuffer());
  }

  /**
   * Ends {@code resp} with a JSON body, uncompressed below {@link #COMPRESS_FROM_BYTES}: the API's answers
   * are a few hundred bytes, which gzip makes no smaller at the cost of a deflater per answer to every
   * browser (they always ask for it). "identity" tells Vert.x's compressor to leave the body as it is,
   * and the header is dropped before the answer goes out. The page and its assets are still compressed.
   */
  static void endJson(HttpServerResponse resp, Buffer body) {
    resp.putHeader(HttpHeaders.CONTENT_TYPE, JSON_UTF8);
    if (body.length() < COMPRESS_FROM_BYTES) {
      resp.putHeader(HttpHeaders.CONTENT_ENCODING, HttpHeaders.IDENTITY);
    }
    resp.end(body);
  }

  /** JSON bodies smaller than this go out uncompressed. */
  static final int COMPRESS_FROM_BYTES = 1024;
  private static final CharSequence JSON_UTF8 = HttpHeaders.createOptimized("application/json; charset=utf-8");
  private static final CharSequence CACHE_CONTROL = HttpHeaders.createOptimized("Cache-Control");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
  private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");

  private static String message(ErrorCode code, JsonObject details) {
    Long retry = details.getLong(Failures.RETRY_AFTER);
    switch (code) {
      case QUERY_LIMIT:
        return retry == null ? code.message : "该号码24小时内已查询过，请于" + humanWait(retry) + "后再试";
      case SMS_CODE_TOO_FREQUENT:
      case SMS_CODE_DAILY_LIMIT:
      case RATE_LIMITED:
      case SMS_BUDGET_EXCEEDED:
        return retry == null ? code.message : code.message.replace("请稍后再试", "请于" + humanWait(retry) + "后再试");
      case INVALID_ID_NUMBER:
        return Failures.FIFTEEN_DIGITS.equals(details.getString(Failures.REASON))
            ? "不支持15位的第一代身份证号码，请输入18位居民身份证号码" : code.message;
      case SMS_CODE_INVALID:
        Integer left = details.getInteger(Failures.REMAINING_ATTEMPTS);
        return left == null ? code.message : left > 0
            ? "短信验证码错误，还可尝试" + left + "次"
            : "短信验证码错误次数过多，请重新获取";
      default:
        return code.message;
    }
  }

  static String humanWait(long seconds) {
    if (seconds < 60) {
      return seconds + "秒";
    }
    if (seconds < 3600) {
      return ((seconds + 59) / 60) + "分钟";
    }
    long h = seconds / 3600;
    long m = (seconds % 3600 + 59) / 60;
    if (m == 60) {
      h++;
      m = 0;
    }
    return m == 0 ? h + "小时" : h + "小时" + m + "分钟";
  }
}
