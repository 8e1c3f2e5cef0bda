package org.yzt.sim;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * The simulators' few routes, on the core HTTP server: {@code POST} paths with at most one
 * {@code :id} segment, the body read whole up to {@link #MAX_BODY_BYTES} (413 past it), anything
 * else 404. A router and body handler would cost the simulated peers more CPU per call than the
 * signature check, and every outbound call of a dev node (ten per query) lands here.
 */
final class SimRoutes {
  static final int MAX_BODY_BYTES = 64 * 1024;

  /** One call to a simulated peer: the request, the value of its {@code :id} segment (or null), its body. */
  record Call(HttpServerRequest request, String id, Buffer body) {
    HttpServerResponse response() {
      return request.response();
    }
  }

  private record Route(String prefix, String suffix, Handler<Call> handler) {
    /** The id this path gives, "" for a route without one, null when the path is not this route's. */
    String match(String path) {
      if (suffix == null) {
        return path.equals(prefix) ? "" : null;
      }
      if (path.length() <= prefix.length() + suffix.length() || !path.startsWith(prefix) || !path.endsWith(suffix)) {
        return null;
      }
      String id = path.substring(prefix.length(), path.length() - suffix.length());
      return id.indexOf('/') >= 0 ? null : id;
    }
  }

  private final List<Route> routes = new ArrayList<>();
  private final BiConsumer<String, String> traceparents;

  /** {@code traceparents} is told the path and the W3C {@code traceparent} of each call that carries one. */
  SimRoutes(BiConsumer<String, String> traceparents) {
    this.traceparents = traceparents;
  }

  /** Adds {@code POST pattern}, where {@code pattern} may hold one {@code :id} segment. */
  void post(String pattern, Handler<Call> handler) {
    int at = pattern.indexOf("/:id");
    if (at < 0) {
      routes.add(new Route(pattern, null, handler));
    } else {
      routes.add(new Route(pattern.substring(0, at + 1), pattern.substring(at + 4), handler));
    }
  }

  void handle(HttpServerRequest req) {
    String traceparent = req.getHeader("traceparent");
    if (traceparent != null) {
      traceparents.accept(req.path(), traceparent);
    }
    if (req.method() == HttpMethod.POST) {
      String path = req.path();
      for (Route r : routes) {
        String id = r.match(path);
        if (id != null) {
          read(req, id.isEmpty() ? null : id, r.handler);
          return;
        }
      }
    }
    req.response().setStatusCode(404).end();
  }

  private static void read(HttpServerRequest req, String id, Handler<Call> handler) {
    String length = req.getHeader("Content-Length"); // digits only: the HTTP decoder refuses anything else
    long declared = length == null ? -1 : Long.parseLong(length);
    if (declared > MAX_BODY_BYTES) {
      tooLarge(req);
      return;
    }
    Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 256);
    req.handler(chunk -> {
      if (body.length() + chunk.length() > MAX_BODY_BYTES) {
        tooLarge(req);
      } else {
        body.appendBuffer(chunk);
      }
    });
    req.endHandler(v -> {
      if (!req.response().ended()) {
        handler.handle(new Call(req, id, body));
      }
    });
  }

  private static void tooLarge(HttpServerRequest req) {
    if (!req.response().ended()) {
      req.response().setStatusCode(413).putHeader("Connection", "close").end();
    }
  }
}
