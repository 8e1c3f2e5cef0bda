package org.yzt.contract;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * What a caller does with a failed request: {@link #INVALID} (the request itself is wrong: do not
 * send it again), {@link #TRANSIENT} (try again later), {@link #FINAL} (the peer answered for good:
 * do not try again). A service says which in its failure's details ({@link Failures#KIND}); a
 * failure that does not say (no handler, a timeout, another system's reply) is read from its status.
 */
public enum FailureKind {
  INVALID, TRANSIENT, FINAL;

  /** The kind of any failure of an event-bus request: the one "is it transient?" of the project. */
  public static FailureKind of(Throwable failure) {
    if (!(failure instanceof ReplyException re) || re.failureType() != ReplyFailure.RECIPIENT_FAILURE) {
      return TRANSIENT; // no handler, a timeout, or a local failure before the request went out
    }
    String named = Failures.detailsOf(failure).getString(Failures.KIND);
    if (named != null) {
      for (FailureKind k : values()) {
        if (k.name().equals(named)) {
          return k;
        }
      }
    }
    return ofStatus(re.failureCode());
  }

  /** SPEC §3's reading of a status: 408, 429 and 5xx are worth retrying, other 4xx are the request's fault, the rest final. */
  public static FailureKind ofStatus(int status) {
    if (status == 408 || status == 429 || status == 500 || status == 503 || status == 504) {
      return TRANSIENT;
    }
    return status >= 400 && status < 500 ? INVALID : FINAL;
  }

  public static boolean isTransient(Throwable failure) {
    return of(failure) == TRANSIENT;
  }
}
