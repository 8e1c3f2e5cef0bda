package org.yzt.contract;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A submission, as {@code yzt.query.submit} takes it: the gateway sends this record (fields already
 * normalised), other systems send its JSON form. Within one JVM the record itself is delivered
 * ({@link Codec}: nothing built, copied or parsed); across the cluster it travels as that JSON.
 */
public record Submission(String phone, String idLast6, String smsCode, String client, String idempotencyKey,
                         String bodyHash, String requestId) {
  public static Submission from(JsonObject body) {
    return new Submission(body.getString("phone"), body.getString("idLast6"), body.getString("smsCode"),
        body.getString("client"), body.getString("idempotencyKey"), body.getString("bodyHash"),
        body.getString("requestId"));
  }

  /** A message body of {@code yzt.query.submit}: this record, or its JSON form. */
  public static Submission of(Object body) {
    if (body instanceof Submission s) {
      return s;
    }
    return from(body instanceof JsonObject json ? json : new JsonObject());
  }

  /** The JSON form: the fields of yzt.query.submit in docs/event-bus.md, absent ones left out. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("phone", phone).put("idLast6", idLast6).put("smsCode", smsCode)
        .put("client", client);
    if (requestId != null) {
      json.put("requestId", requestId);
    }
    if (idempotencyKey != null) {
      json.put("idempotencyKey", idempotencyKey).put("bodyHash", bodyHash);
    }
    return json;
  }

  /** The event-bus codec of {@link Submission}: the record as it is within a JVM, its JSON form on the wire. */
  public static final class Codec implements MessageCodec<Submission, Submission> {
    @Override
    public void encodeToWire(Buffer buffer, Submission s) {
      Buffer json = s.toJson().toBuffer();
      buffer.appendInt(json.length()).appendBuffer(json);
    }

    @Override
    public Submission decodeFromWire(int pos, Buffer buffer) {
      int length = buffer.getInt(pos);
      return Submission.from(new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length)));
    }

    @Override
    public Submission transform(Submission s) {
      return s; // immutable
    }

    @Override
    public String name() {
      return "yzt.query.submission";
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }

  /** Registers {@link Codec} as the default codec of {@link Submission} (once per Vert.x instance). */
  public static synchronized void registerCodec(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(Submission.class, new Codec());
    } catch (IllegalStateException alreadyRegistered) {
      // a second App on the same Vert.x (tests) finds it in place
    }
  }
}
