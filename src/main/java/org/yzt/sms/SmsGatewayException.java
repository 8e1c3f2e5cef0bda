package org.yzt.sms;

/**
 * One failed attempt at the SMS gateway. {@code permanent}: another attempt cannot help (4xx other
 * than 408/429, a malformed answer). {@code reason} names the HTTP status or the exception class,
 * never anything from the request: no number, no text.
 */
public final class SmsGatewayException extends RuntimeException {
  private final boolean permanent;
  private final Long retryAfterMs;

  public SmsGatewayException(boolean permanent, String reason, Long retryAfterMs) {
    super(reason, null, false, false);
    this.permanent = permanent;
    this.retryAfterMs = retryAfterMs;
  }

  public boolean permanent() {
    return permanent;
  }

  /** The pause a 429 or 503 asked for with {@code Retry-After}, or null. */
  public Long retryAfterMs() {
    return retryAfterMs;
  }
}
