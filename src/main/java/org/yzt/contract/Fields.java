package org.yzt.contract;

import io.vertx.core.json.JsonObject;

/** Reads the fields of a message's JSON form for the records of this package, refusing what does not fit. */
public final class Fields {
  private Fields() {}

  /** A non-empty string of at most {@code maxLength} characters; else {@link BadMessage} naming the field. */
  public static String string(JsonObject json, String key, int maxLength) {
    String s = optionalString(json, key, maxLength);
    if (s == null) {
      throw BadMessage.field(key);
    }
    return s;
  }

  /** As {@link #string}, but null when the field is absent. */
  public static String optionalString(JsonObject json, String key, int maxLength) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (v instanceof String s && !s.isEmpty() && s.length() <= maxLength) {
      return s;
    }
    throw BadMessage.field(key);
  }

  /** A request id: printable ASCII, 1 to 128 characters. */
  public static String requestId(String id) {
    if (id == null || id.isBlank() || id.length() > 128) {
      throw BadMessage.field("requestId");
    }
    return id;
  }

  /** The number in a message, in any form of SPEC §2.6; else {@link ErrorCode#INVALID_PHONE}. */
  public static PhoneNumber phone(JsonObject json, String key) {
    Object v = json.getValue(key);
    PhoneNumber p = v instanceof String s ? PhoneNumber.parse(s) : null;
    if (p == null) {
      throw new BadMessage(ErrorCode.INVALID_PHONE, null);
    }
    return p;
  }

  /** A whole number, or null when the field is absent; a fraction or another type is refused. */
  public static Long optionalWholeNumber(JsonObject json, String key) {
    Object v = json.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n)) {
      throw BadMessage.field(key);
    }
    long l = n.longValue();
    if ((n instanceof Double || n instanceof Float) && n.doubleValue() != l) {
      throw BadMessage.field(key);
    }
    return l;
  }

  /** The body of a message as JSON: its record's {@link BusMessage#toJson} when delivered locally, else the body. */
  public static JsonObject json(Object body) {
    if (body instanceof BusMessage m) {
      return m.toJson();
    }
    return body instanceof JsonObject j ? j : new JsonObject();
  }
}
