package org.yzt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * SPEC §11 "Redis in prod": a Redis (or Sentinel, or Cluster node) that is not on loopback must be
 * {@code rediss://} with credentials, unless {@code redis.allowPlaintext: true} says otherwise
 * explicitly (a private network the operator vouches for); a loopback Redis may be plain. Every
 * personal datum of the service passes through that connection, and anyone on the path of a plain
 * one reads sealed values, codes' hashes and the idempotency records, or writes into them.
 */
final class RedisProdCheck {
  private RedisProdCheck() {}

  /** Problems with {@code redis.*} for prod; the URLs are named by key, never printed (they may hold a password). */
  static List<String> problems(JsonObject redis) {
    List<String> problems = new ArrayList<>();
    if (ConfigValues.flag(redis, "redis", "allowPlaintext", false)) {
      return problems;
    }
    String type = redis.getString("type", "standalone");
    if ("standalone".equals(type)) {
      check(problems, "redis.connectionString", redis.getString("connectionString"));
    } else {
      JsonArray endpoints = redis.getJsonArray("endpoints", new JsonArray());
      for (int i = 0; i < endpoints.size(); i++) {
        check(problems, "redis.endpoints[" + i + "]", String.valueOf(endpoints.getValue(i)));
      }
    }
    return problems;
  }

  private static void check(List<String> problems, String key, String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      problems.add(key + " is not a URL");
      return;
    }
    String host = uri.getHost();
    if (host != null && ProdGuard.isLoopback(host.toLowerCase(Locale.ROOT))) {
      return;
    }
    boolean tls = "rediss".equalsIgnoreCase(uri.getScheme());
    String userInfo = uri.getRawUserInfo();
    // redis://:password@host or redis://user:password@host: a password is what makes it a credential
    boolean credentials = userInfo != null && userInfo.contains(":") && userInfo.indexOf(':') < userInfo.length() - 1;
    if (!tls || !credentials) {
      problems.add(key + " is a Redis off loopback " + (tls ? "without credentials" : "without TLS")
          + "; prod needs rediss://user:password@… (or redis.allowPlaintext: true for a private network you vouch for)");
    }
  }
}
