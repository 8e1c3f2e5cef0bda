package org.yzt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The prod profile refuses to start with dev defaults or open doors (SPEC §5, §11): a profile name
 * other than exactly "dev" or "prod" (anything else is checked as prod and refused), any secret or
 * key still equal to the one shipped in {@code conf/config.json}, a secret shorter than 32 bytes,
 * captcha mode "fixed", simulators enabled, a partner URL that is not {@code https://} or points at
 * a simulator or a loopback address, and {@code -cluster} without {@code cluster.tls} or with
 * {@code cluster.host} the wildcard address. A partner's secret is checked only on nodes whose roles
 * call that partner (a front node holds none), and no two partners may share a secret.
 */
public final class ProdGuard {
  static final int MIN_SECRET_BYTES = 32;
  private static final Set<String> PROFILES = Set.of("dev", "prod");
  private static final String[] TLS_FILES = {"certFile", "keyFile", "caFile"};
  private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "0:0:0:0:0:0:0:0");

  private ProdGuard() {}

  /** Problems that forbid starting a node without {@code -cluster}; empty when it may run. */
  public static List<String> problems(JsonObject config, JsonObject devDefaults) {
    return problems(config, devDefaults, false);
  }

  /** Problems that forbid starting; empty when the configuration may run. */
  public static List<String> problems(JsonObject config, JsonObject devDefaults, boolean cluster) {
    List<String> problems = new ArrayList<>();
    String profile = config.getString("profile");
    if ("dev".equals(profile)) {
      return problems;
    }
    if (!PROFILES.contains(profile)) {
      // "Prod" or "production" must not slip past every check: refuse, and list what prod would refuse too
      problems.add("profile is \"" + profile + "\"; it must be exactly \"dev\" or \"prod\"");
    }
    if ("fixed".equals(section(config, "captcha").getString("mode"))) {
      problems.add("captcha.mode is \"fixed\"; prod needs \"image\"");
    }
    if (section(config, "redis").getBoolean("embedded", false)) {
      problems.add("redis.embedded is true; prod uses its own Redis (set redis.embedded to false)");
    }
    problems.addAll(RedisProdCheck.problems(section(config, "redis")));
    if (section(config, "simulators").getBoolean("enabled", false)) {
      problems.add("simulators.enabled is true; prod talks to real carriers, enterprises and SMS gateway");
    }
    checkDataKeys(problems, section(config, "security"), section(devDefaults, "security").getString("dataKey"));
    List<String> devSecrets = new ArrayList<>();
    List<String> devUrls = new ArrayList<>();
    collectDev(devDefaults, devSecrets, devUrls);
    // a node is refused for the secrets of the peers its roles call; another role's peers are not its business
    JsonArray roles = section(config, "node").getJsonArray("roles", new JsonArray().add("all"));
    Map<String, String> secrets = new LinkedHashMap<>();
    JsonObject sms = section(config, "sms");
    checkPeer(problems, "sms", sms, devSecrets, devUrls, calls(roles, "sms"), secrets);
    checkPeers(problems, "carriers", config.getJsonArray("carriers", new JsonArray()), devSecrets, devUrls,
        calls(roles, "carrier"), secrets);
    checkPeers(problems, "enterprises", config.getJsonArray("enterprises", new JsonArray()), devSecrets, devUrls,
        calls(roles, "enterprise"), secrets);
    if (cluster) {
      JsonObject tls = section(config, "cluster").getJsonObject("tls");
      for (String file : TLS_FILES) {
        if (tls == null || blank(tls.getString(file))) {
          problems.add("-cluster needs cluster.tls." + file + " (the event bus takes only nodes with a certificate from the cluster CA)");
        }
      }
      String host = section(config, "cluster").getString("host", "");
      if (WILDCARDS.contains(host.trim())) {
        problems.add("cluster.host is " + host + "; the membership and the event bus bind to the one address nodes reach each other on");
      }
    }
    return problems;
  }

  private static void checkDataKeys(List<String> problems, JsonObject security, String devKey) {
    String dataKey = security.getString("dataKey");
    if (dataKey == null || dataKey.equals(devKey)) {
      problems.add("security.dataKey is left at its dev default");
    }
    if (security.getJsonArray("previousDataKeys", new JsonArray()).contains(devKey)) {
      problems.add("security.previousDataKeys holds the dev key");
    }
  }

  /** The secrets and base URLs that conf/config.json ships: none of them may reach prod. */
  private static void collectDev(JsonObject devDefaults, List<String> secrets, List<String> urls) {
    List<JsonObject> peers = new ArrayList<>();
    peers.add(section(devDefaults, "sms"));
    for (String list : new String[] {"carriers", "enterprises"}) {
      devDefaults.getJsonArray(list, new JsonArray()).forEach(p -> peers.add((JsonObject) p));
    }
    for (JsonObject p : peers) {
      secrets.add(p.getString("secret"));
      urls.add(p.getString("baseUrl"));
    }
  }

  /** Whether a node with {@code roles} calls the peers of {@code role}. */
  private static boolean calls(JsonArray roles, String role) {
    return roles.contains("all") || roles.contains(role);
  }

  private static void checkPeers(List<String> problems, String what, JsonArray peers, List<String> devSecrets,
      List<String> devUrls, boolean called, Map<String, String> secrets) {
    for (int i = 0; i < peers.size(); i++) {
      JsonObject p = peers.getJsonObject(i);
      checkPeer(problems, what + "[" + p.getString("id", Integer.toString(i)) + "]", p, devSecrets, devUrls, called, secrets);
    }
  }

  /**
   * A peer's URL always; its secret only when this node calls it ({@code called}). Every secret given
   * is remembered in {@code secrets} (secret → peer): two peers with one secret are refused, since
   * whoever holds one could sign as the other.
   */
  private static void checkPeer(List<String> problems, String name, JsonObject peer, List<String> devSecrets,
      List<String> devUrls, boolean called, Map<String, String> secrets) {
    String secret = peer.getString("secret");
    if (called) {
      if (blank(secret) || devSecrets.contains(secret)) {
        problems.add(name + ".secret is left at its dev default");
      } else if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
        problems.add(name + ".secret is shorter than " + MIN_SECRET_BYTES + " bytes");
      }
    }
    if (!blank(secret) && !devSecrets.contains(secret)) {
      String first = secrets.putIfAbsent(secret, name);
      if (first != null) {
        problems.add(name + ".secret is the same as " + first + ".secret; each peer needs its own");
      }
    }
    String url = peer.getString("baseUrl");
    String why = devUrls.contains(url) ? "is a simulator URL" : urlProblem(url);
    if (why != null) {
      problems.add(name + ".baseUrl " + why);
    }
  }

  /** Why a partner URL cannot be a real peer's, or null when it can. */
  static String urlProblem(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.trim());
    } catch (URISyntaxException e) {
      return "is not a URL";
    }
    if (!"https".equalsIgnoreCase(uri.getScheme())) {
      return "is not https://";
    }
    String host = uri.getHost();
    if (blank(host)) {
      return "has no host";
    }
    String h = host.toLowerCase(Locale.ROOT);
    if (h.matches("[0-9.]+") && !h.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      return "has a numeric host that is not a dotted IPv4 address";
    }
    if (isLoopback(h)) {
      return "points at a loopback address";
    }
    return null;
  }

  /** Loopback by name or literal, never by a DNS look-up (an IP literal is parsed, not resolved). */
  static boolean isLoopback(String host) {
    String h = host;
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return true;
    }
    if (!h.matches("[0-9.]+") && !h.contains(":")) {
      return false; // a name: looked up by the peer's DNS in production, not here
    }
    try {
      InetAddress a = InetAddress.getByName(h); // a literal: parsed, no look-up
      return a.isLoopbackAddress() || a.isAnyLocalAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static JsonObject section(JsonObject config, String name) {
    return config.getJsonObject(name, new JsonObject());
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
