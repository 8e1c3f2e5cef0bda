package org.yzt.sms;

/**
 * One failed attempt at the SMS gateway. {@code permanent}: another attempt cannot help (4xx other
 * than 408/429, a malformed answer). {@code reason} names the HTTP status or the exception class,
 * never anything from the request: no number, no text. {@code unsent}: the gateway cannot have sent
 * the text (the connection was refused before the request was written, or it answered a 4xx other
 * than 408/429); every other failure is doubtful (SPEC §10).
 */
public final class SmsGatewayException extends RuntimeException {
  private final boolean permanent;
  private final Long retryAfterMs;
  private final boolean unsent;

  /** A doubtful failure: the text may have gone out. */
  public SmsGatewayException(boolean permanent, String reason, Long retryAfterMs) {
    this(permanent, reason, retryAfterMs, false);
  }

  public SmsGatewayException(boolean permanent, String reason, Long retryAfterMs, boolean unsent) {
    super(reason, null, false, false);
    this.permanent = permanent;
    this.retryAfterMs = retryAfterMs;
    this.unsent = unsent;
  }

  /** True only when the gateway definitely did not send the text. */
  public boolean unsent() {
    return unsent;
  }

  public boolean permanent() {
    return permanent;
  }

  /** The pause a 429 or 503 asked for with {@code Retry-After}, or null. */
  public Long retryAfterMs() {
    return retryAfterMs;
  }
}
