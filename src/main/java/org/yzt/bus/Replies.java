package org.yzt.bus;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;

/** Answers event-bus requests: a JSON reply on success, a {@link Failures} reply otherwise. */
public final class Replies {
  private static final Logger LOG = LoggerFactory.getLogger(Replies.class);

  private Replies() {}

  /** Registers nothing; wraps a handler so that every outcome, including a thrown bug, gets a reply. */
  public static Handler<Message<JsonObject>> handle(Function<JsonObject, Future<JsonObject>> handler) {
    return msg -> reply(msg, () -> handler.apply(msg.body() == null ? new JsonObject() : msg.body()));
  }

  /** {@link #handle} for an address whose bodies are not only JSON (a record with a local codec, or its JSON form). */
  public static Handler<Message<Object>> handleAny(Function<Object, Future<JsonObject>> handler) {
    return msg -> reply(msg, () -> handler.apply(msg.body()));
  }

  private static void reply(Message<?> msg, Supplier<Future<JsonObject>> handler) {
    Future<JsonObject> result;
    try {
      result = handler.get();
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        msg.reply(ar.result());
      } else {
        ErrorCode code = Failures.codeOf(ar.cause());
        if (code == ErrorCode.INTERNAL_ERROR) {
          // class and message only: a message is written by us and never holds personal data
          LOG.error("bug while handling {}: {}", msg.address(), ar.cause().toString(), ar.cause());
        } else if (code == ErrorCode.SERVICE_UNAVAILABLE && !(ar.cause() instanceof ServiceException)) {
          LOG.warn("dependency unavailable while handling {}: {}", msg.address(), ar.cause().getClass().getSimpleName());
        }
        msg.reply(Failures.toReply(ar.cause()));
      }
    });
  }
}
