package org.yzt.contract;

import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;

/**
 * Event-bus failures as SPEC §8 describes them: a {@link ReplyException} whose failure code is the
 * HTTP status and whose message is the error code. Details such as Retry-After travel in the
 * {@link ServiceException}'s debug info, which has a codec that crosses cluster nodes.
 */
public final class Failures {
  public static final String RETRY_AFTER = "retryAfterSeconds";
  public static final String REMAINING_ATTEMPTS = "remainingAttempts";
  /** In a failure's details: its {@link FailureKind}, what the caller should do with it. */
  public static final String KIND = "kind";
  /** Why a value was refused, when the message says more than the code's: {@link #FIFTEEN_DIGITS}. */
  public static final String REASON = "reason";
  /** INVALID_ID_NUMBER for a first-generation (15-digit) ID number. */
  public static final String FIFTEEN_DIGITS = "fifteenDigits";

  private Failures() {}

  public static ServiceException of(ErrorCode code) {
    return new ServiceException(code.status, code.name(), new JsonObject());
  }

  public static ServiceException of(ErrorCode code, JsonObject details) {
    return new ServiceException(code.status, code.name(), details == null ? new JsonObject() : details);
  }

  /** A failure that tells its caller what to do with it ({@link FailureKind#of}). */
  public static ServiceException of(ErrorCode code, FailureKind kind) {
    return of(code, new JsonObject().put(KIND, kind.name()));
  }

  /** A peer's answer that is not one of ours ({@code UPSTREAM_REJECTED}, {@code UPSTREAM_MALFORMED}) with its status. */
  public static ServiceException upstream(int status, String name, FailureKind kind) {
    return new ServiceException(status, name, new JsonObject().put(KIND, kind.name()));
  }

  public static ServiceException retryAfter(ErrorCode code, long seconds) {
    return of(code, new JsonObject().put(RETRY_AFTER, Math.max(1, seconds)));
  }

  public static <T> Future<T> fail(ErrorCode code) {
    return Future.failedFuture(of(code));
  }

  /** The error code that a failure stands for; anything unknown is a dependency we could not reach or a bug. */
  public static ErrorCode codeOf(Throwable t) {
    if (t instanceof BadMessage bad) {
      return bad.code;
    }
    if (t instanceof ReplyException re) {
      ErrorCode named = ErrorCode.fromName(re.getMessage());
      if (re.failureType() == ReplyFailure.RECIPIENT_FAILURE && named != null) {
        return named;
      }
      if (re.failureType() == ReplyFailure.NO_HANDLERS || re.failureType() == ReplyFailure.TIMEOUT) {
        return ErrorCode.SERVICE_UNAVAILABLE;
      }
      return named != null ? named : ErrorCode.SERVICE_UNAVAILABLE;
    }
    return isBug(t) ? ErrorCode.INTERNAL_ERROR : ErrorCode.SERVICE_UNAVAILABLE;
  }

  /**
   * A programming error, as opposed to a store or peer we could not reach (connection refused,
   * timeouts, a busy pool, Redis LOADING), which is a 503 the client may retry.
   */
  private static boolean isBug(Throwable t) {
    return t instanceof NullPointerException
        || t instanceof ClassCastException
        || t instanceof IndexOutOfBoundsException
        || t instanceof ArithmeticException
        || t instanceof IllegalArgumentException
        || t instanceof DecodeException;
  }

  /** The details a failure carries (Retry-After, remaining attempts), empty when none. */
  public static JsonObject detailsOf(Throwable t) {
    if (t instanceof ServiceException se && se.getDebugInfo() != null) {
      return se.getDebugInfo();
    }
    return new JsonObject();
  }

  /** Turns a local failure into what a consumer replies: our codes pass through, the rest is 503 or 500. */
  public static ServiceException toReply(Throwable t) {
    if (t instanceof ServiceException se) {
      return se;
    }
    if (t instanceof BadMessage bad) {
      return of(bad.code, bad.details());
    }
    ErrorCode code = codeOf(t);
    return of(code);
  }
}
