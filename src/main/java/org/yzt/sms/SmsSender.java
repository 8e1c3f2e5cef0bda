package org.yzt.sms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.serviceproxy.ServiceException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yzt.time.Deadlines;
import org.yzt.privacy.Phone;
import org.yzt.config.SmsConfig;
import org.yzt.contract.BadMessage;
import org.yzt.contract.ErrorCode;
import org.yzt.contract.Failures;
import org.yzt.contract.SmsSend;

/**
 * The {@code yzt.sms.send} handler of one SmsVerticle instance: validates a request, then tries
 * the gateway until it accepts the text, it refuses it for good, or the request's
 * {@code deliverWithinMs} runs out. Every attempt carries the same messageId, so the gateway
 * sends the text once however many attempts reach it.
 *
 * <p>Between attempts a delivery holds a timer and its small request, nothing else: the HTTP
 * connection went back to the pool when the attempt ended. It runs on the instance's event loop,
 * so its bookkeeping needs no locks. Nothing here logs a number unmasked, nor any text.
 */
public final class SmsSender {
  private static final Logger LOG = LoggerFactory.getLogger(SmsSender.class);
  /** How long past its timeout an attempt may take before it is given up on regardless. */
  static final long GUARD_SLACK_MS = 50;

  private final Vertx vertx;
  private final SmsGatewayClient gateway;
  private final SmsConfig config;
  private final SmsRetryPolicy policy;
  private final MeterRegistry metrics;
  /** yzt.sms.messages by outcome, each built once. */
  private final Map<String, Counter> messages = new ConcurrentHashMap<>();
  /** Deliveries waiting for their next attempt, by timer id: cancelled and failed on stop. */
  private final Map<Long, Delivery> waiting = new HashMap<>();
  private int inFlight;
  private boolean closed;
  /** Decides the delivery deadline, each attempt's timeout and the last retry (SPEC §4). */
  private final Clock clock;

  public SmsSender(Vertx vertx, SmsGatewayClient gateway, SmsConfig config, MeterRegistry metrics, Clock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.gateway = gateway;
    this.config = config;
    this.policy = SmsRetryPolicy.of(config);
    this.metrics = metrics;
  }

  /** The reply to one {@code yzt.sms.send} request (its record, or its JSON form): {@link SmsSend.Reply} or a failure. */
  public Future<JsonObject> send(Object body) {
    long receivedAt = clock.millis();
    SmsSend.Request request;
    try {
      request = SmsSend.Request.of(body);
    } catch (BadMessage bad) {
      return Future.failedFuture(Failures.toReply(bad));
    }
    long within = request.deliverWithinMs() != null ? request.deliverWithinMs() : config.defaultDeliverWithinMs();
    if (closed || inFlight >= config.maxInFlight()) {
      count("rejected");
      return Future.failedFuture(unavailable(false, 0, false));
    }
    Delivery d = new Delivery(request.messageId(), request.to().digits(), request.text(), receivedAt + within);
    inFlight++;
    d.attempt();
    return d.promise.future().onComplete(ar -> inFlight--);
  }

  /** Stops retrying: deliveries waiting for a retry fail now (transiently), attempts in flight end as they end. */
  public void close() {
    closed = true;
    if (!waiting.isEmpty()) {
      // one line, not one per text: a stop during a gateway outage may end thousands of them
      LOG.warn("stopping: {} texts waiting for a retry fail now as transient; their callers may send them again",
          waiting.size());
    }
    for (Map.Entry<Long, Delivery> e : Map.copyOf(waiting).entrySet()) {
      vertx.cancelTimer(e.getKey());
      e.getValue().giveUp(false, "stopping", false);
    }
    waiting.clear();
  }

  /** Deliveries not finished yet, attempting or waiting (for tests and metrics). */
  public int inFlight() {
    return inFlight;
  }

  private final class Delivery {
    final String messageId;
    final String to;
    final String text;
    final long deadline;
    final Promise<JsonObject> promise = Promise.promise();
    int attempts;
    /** The attempt whose outcome is awaited, 0 while none is. */
    int open;
    /** Some attempt ended in a way that may have let the text out (a timeout, a 5xx, a malformed answer). */
    boolean maybeSent;

    Delivery(String messageId, String to, String text, long deadline) {
      this.messageId = messageId;
      this.to = to;
      this.text = text;
      this.deadline = deadline;
    }

    void attempt() {
      int n = ++attempts;
      open = n;
      long timeout = SmsRetryPolicy.attemptTimeout(config.timeoutMs(), clock.millis(), deadline);
      // the client enforces the timeout itself; this timer only makes sure that, whatever the HTTP
      // layer does (a wait for a pooled connection, a stuck exchange), the caller hears by the deadline
      Deadlines.Handle guard = Deadlines.after(timeout + GUARD_SLACK_MS,
          () -> settle(n, new SmsGatewayException(false, "attempt overran " + timeout + " ms", null)));
      Future<Void> sent;
      try {
        sent = gateway.send(messageId, to, text, timeout);
      } catch (RuntimeException e) {
        sent = Future.failedFuture(new SmsGatewayException(false, e.getClass().getSimpleName(), null));
      }
      sent.onComplete(ar -> {
        guard.cancel();
        settle(n, ar.succeeded() ? null : ar.cause());
      });
    }

    /** The outcome of attempt {@code n} (null: accepted); later outcomes of the same attempt are ignored. */
    void settle(int n, Throwable failure) {
      if (open != n) {
        return;
      }
      open = 0;
      if (failure == null) {
        delivered();
        return;
      }
      SmsGatewayException f = failure instanceof SmsGatewayException g
          ? g : new SmsGatewayException(false, failure.getClass().getSimpleName(), null);
      maybeSent |= !f.unsent();
      if (f.permanent()) {
        giveUp(true, f.getMessage(), true);
      } else {
        retryLater(f);
      }
    }

    void retryLater(SmsGatewayException f) {
      if (closed) {
        giveUp(false, f.getMessage() + ", stopping", true);
        return;
      }
      long delay = policy.nextDelay(attempts, clock.millis(), deadline, f.retryAfterMs(),
          ThreadLocalRandom.current());
      if (delay < 0) {
        giveUp(false, f.getMessage() + ", out of time", true);
        return;
      }
      count("retried");
      LOG.debug("sms {} to {}: attempt {} failed ({}), retrying in {} ms", messageId, Phone.mask(to), attempts,
          f.getMessage(), delay);
      long[] id = new long[1];
      id[0] = vertx.setTimer(delay, t -> {
        waiting.remove(id[0]);
        attempt();
      });
      waiting.put(id[0], this);
    }

    void delivered() {
      count("queued");
      if (attempts > 1) {
        LOG.info("sms {} to {} accepted by the gateway after {} attempts", messageId, Phone.mask(to), attempts);
      } else {
        LOG.debug("sms {} to {} accepted by the gateway", messageId, Phone.mask(to));
      }
      promise.tryComplete(SmsSend.Reply.queued(messageId).toJson());
    }

    void giveUp(boolean permanent, String reason, boolean log) {
      count(permanent ? "permanent" : "expired");
      if (!log) {
        promise.tryFail(unavailable(permanent, attempts, maybeSent));
        return;
      }
      LOG.warn("sms {} to {} not delivered after {} attempts ({}): {}", messageId, Phone.mask(to), attempts,
          permanent ? "permanent" : "transient", reason);
      promise.tryFail(unavailable(permanent, attempts, maybeSent));
    }
  }

  private static ServiceException unavailable(boolean permanent, int attempts, boolean maybeSent) {
    return Failures.of(ErrorCode.SERVICE_UNAVAILABLE, new SmsSend.Failure(permanent, attempts, maybeSent).toJson());
  }

  private void count(String outcome) {
    if (metrics != null) {
      messages.computeIfAbsent(outcome, o -> metrics.counter("yzt.sms.messages", "outcome", o)).increment();
    }
  }
}
