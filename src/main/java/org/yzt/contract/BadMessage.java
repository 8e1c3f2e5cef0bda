package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/**
 * A message that a record of this package refuses: the error code to reply with and, for
 * {@link ErrorCode#INVALID_FIELD}, the field. Never carries the value (it may be personal data).
 */
public final class BadMessage extends RuntimeException {
  public final ErrorCode code;
  public final String field;

  public BadMessage(ErrorCode code, String field) {
    super(code.name() + (field == null ? "" : " (" + field + ")"), null, false, false);
    this.code = code;
    this.field = field;
  }

  public static BadMessage field(String field) {
    return new BadMessage(ErrorCode.INVALID_FIELD, field);
  }

  /** The failure's details on the bus: {"field": name} when a field is named. */
  public JsonObject details() {
    JsonObject d = new JsonObject().put(Failures.KIND, FailureKind.INVALID.name());
    return field == null ? d : d.put("field", field);
  }
}
