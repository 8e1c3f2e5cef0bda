package org.yzt.contract;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;

/**
 * {@code yzt.sms.send}: one text to one number, tried until the gateway accepts it, refuses it for
 * good, or {@code deliverWithinMs} runs out. Failures: 400 {@code INVALID_FIELD} (with the field);
 * 503 with {@link Failure} in its details.
 */
public final class SmsSend {
  public static final String ADDRESS = Addresses.SMS_SEND;
  /** The longest delivery budget a request may ask for: eight days (a query's deadline is two, plus the grace). */
  public static final long MAX_DELIVER_WITHIN_MS = 8L * 24 * 3600 * 1000;
  static final int MAX_MESSAGE_ID = 128;
  static final int MAX_TEXT = 2000;

  private SmsSend() {}

  /**
   * {@code {"messageId", "to", "text", "deliverWithinMs"?, "requestId"?}}: {@code deliverWithinMs}
   * null takes the service's {@code sms.deliverWithinMs}.
   */
  public record Request(String messageId, PhoneNumber to, String text, Long deliverWithinMs, String requestId)
      implements BusMessage {
    public Request {
      checkMessageId(messageId);
      if (to == null) {
        throw BadMessage.field("to");
      }
      checkText(text);
      checkWithin(deliverWithinMs);
    }

    /** The fields checked in the order of the table, so that the first bad one is named. */
    public static Request fromJson(JsonObject json) {
      String messageId = checkMessageId(Fields.string(json, "messageId", MAX_MESSAGE_ID));
      PhoneNumber to;
      try {
        to = new PhoneNumber(Fields.string(json, "to", 11)); // exactly the 11 digits: a sender normalises
      } catch (IllegalArgumentException e) {
        throw BadMessage.field("to");
      }
      String text = checkText(Fields.string(json, "text", MAX_TEXT));
      Long within = checkWithin(Fields.optionalWholeNumber(json, "deliverWithinMs"));
      Object requestId = json.getValue("requestId");
      return new Request(messageId, to, text, within, requestId instanceof String r ? r : null);
    }

    private static String checkMessageId(String id) {
      if (id == null || id.isEmpty() || id.length() > MAX_MESSAGE_ID || !id.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw BadMessage.field("messageId");
      }
      return id;
    }

    private static String checkText(String text) {
      if (text == null || text.isBlank() || text.length() > MAX_TEXT) {
        throw BadMessage.field("text");
      }
      return text;
    }

    private static Long checkWithin(Long ms) {
      if (ms != null && (ms <= 0 || ms > MAX_DELIVER_WITHIN_MS)) {
        throw BadMessage.field("deliverWithinMs");
      }
      return ms;
    }

    public static Request of(Object body) {
      return body instanceof Request r ? r : fromJson(Fields.json(body));
    }

    @Override
    public JsonObject toJson() {
      JsonObject json = new JsonObject().put("messageId", messageId).put("to", to.digits()).put("text", text);
      if (deliverWithinMs != null) {
        json.put("deliverWithinMs", deliverWithinMs);
      }
      if (requestId != null) {
        json.put("requestId", requestId);
      }
      return json;
    }
  }

  /** {@code {"messageId", "status": "QUEUED"}}: the gateway accepted the text. */
  public record Reply(String messageId, String status) {
    public static Reply queued(String messageId) {
      return new Reply(messageId, "QUEUED");
    }

    public static Reply fromJson(JsonObject json) {
      return new Reply(json.getString("messageId"), json.getString("status"));
    }

    public JsonObject toJson() {
      return new JsonObject().put("messageId", messageId).put("status", status);
    }
  }

  /**
   * The details of a 503: {@code permanent} (the gateway refused the text for good), the attempts
   * made, and {@code maybeSent}, false only when the gateway cannot have sent the text (SPEC §10).
   */
  public record Failure(boolean permanent, int attempts, boolean maybeSent) {
    public static final String MAYBE_SENT = "maybeSent";
    public static final String PERMANENT = "permanent";

    public JsonObject toJson() {
      return new JsonObject().put(PERMANENT, permanent).put("attempts", attempts).put(MAYBE_SENT, maybeSent)
          .put(Failures.KIND, (permanent ? FailureKind.FINAL : FailureKind.TRANSIENT).name());
    }

    /**
     * Whether a failed {@code yzt.sms.send} says the text cannot have gone out: every attempt was
     * definitely refused, or none was made (no handler). Anything else (a timeout of the reply
     * itself, a reply without the field) counts as maybe sent.
     */
    public static boolean nothingSent(Throwable replyFailure) {
      if (replyFailure instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
        return true;
      }
      return Boolean.FALSE.equals(Failures.detailsOf(replyFailure).getBoolean(MAYBE_SENT));
    }

    /** Whether a failed {@code yzt.sms.send} says another try cannot help: the gateway refused the text for good. */
    public static boolean refusedForGood(Throwable replyFailure) {
      return Boolean.TRUE.equals(Failures.detailsOf(replyFailure).getBoolean(PERMANENT));
    }
  }
}
