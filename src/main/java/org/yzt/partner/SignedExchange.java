package org.yzt.partner;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import java.util.function.Supplier;

/**
 * One request of {@link SignedHttp}, from the wait for a connection to the last byte of the answer:
 * keeps at most {@code max} bytes of the body (past that it fails with {@code tooLarge}), and on any
 * failure once it holds a request — the deadline, an oversized body, a broken answer — resets that
 * request, which closes its connection (nothing half-read goes back to the pool).
 */
final class SignedExchange {
  private final int max;
  private final Supplier<RuntimeException> tooLarge;
  private final Promise<SignedHttp.Answer> result = Promise.promise();
  private volatile HttpClientRequest request;
  private Buffer body;

  SignedExchange(int max, Supplier<RuntimeException> tooLarge) {
    this.max = max;
    this.tooLarge = tooLarge;
  }

  Future<SignedHttp.Answer> result() {
    return result.future();
  }

  /** A connection is ours: send, unless the deadline passed while we waited for it. */
  void start(HttpClientRequest req, Buffer payload) {
    request = req;
    if (result.future().isComplete()) {
      req.reset();
      return;
    }
    req.send(payload).onComplete(ar -> {
      if (ar.failed()) {
        fail(ar.cause());
      } else {
        receive(ar.result());
      }
    });
  }

  private void receive(HttpClientResponse response) {
    body = Buffer.buffer();
    response.exceptionHandler(this::fail);
    response.handler(chunk -> {
      if (body.length() + chunk.length() > max) {
        fail(tooLarge.get());
      } else {
        body.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> result.tryComplete(new SignedHttp.Answer(response.statusCode(), response.headers(), body)));
  }

  void fail(Throwable cause) {
    if (result.tryFail(cause)) {
      HttpClientRequest req = request;
      if (req != null) {
        req.reset();
      }
    }
  }
}
