package org.yzt.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The client address of SPEC §2.6: the socket peer, unless the peer is a trusted proxy
 * ({@code http.trustedProxies}: addresses or CIDR ranges), in which case the right-most address of
 * {@code X-Forwarded-For} that is not itself trusted.
 */
public final class ClientIp {
  private final List<Cidr> trusted = new ArrayList<>();

  public ClientIp(JsonArray trustedProxies) {
    if (trustedProxies != null) {
      for (Object o : trustedProxies) {
        trusted.add(Cidr.parse(String.valueOf(o)));
      }
    }
  }

  public String of(HttpServerRequest req) {
    String peer = req.remoteAddress() == null ? "unknown" : req.remoteAddress().hostAddress();
    if (!isTrusted(peer)) {
      return peer;
    }
    String xff = req.getHeader("X-Forwarded-For");
    if (xff == null || xff.isBlank()) {
      return peer;
    }
    String[] hops = xff.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      String hop = hops[i].trim();
      if (hop.isEmpty()) {
        continue;
      }
      if (!isTrusted(hop)) {
        return looksLikeAddress(hop) ? hop : peer;
      }
    }
    return peer;
  }

  private boolean isTrusted(String address) {
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  private static boolean looksLikeAddress(String s) {
    if (s.length() > 45) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '.' || c == ':')) {
        return false;
      }
    }
    return true;
  }

  /** An address range; a plain address is a range of one. Only literal addresses, never a DNS name. */
  record Cidr(byte[] network, int prefixBits) {
    static Cidr parse(String text) {
      String[] parts = text.trim().split("/");
      byte[] addr = literal(parts[0]);
      if (addr == null) {
        throw new IllegalArgumentException("http.trustedProxies: not an IP address or CIDR range: " + text);
      }
      int bits = parts.length > 1 ? Integer.parseInt(parts[1]) : addr.length * 8;
      return new Cidr(addr, bits);
    }

    boolean contains(String address) {
      byte[] a = literal(address);
      if (a == null || a.length != network.length) {
        return false;
      }
      int full = prefixBits / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefixBits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }

    private static byte[] literal(String s) {
      if (s == null || s.isEmpty() || s.length() > 45) {
        return null;
      }
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (!(Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
          return null; // InetAddress would resolve a name: never look anything up
        }
      }
      try {
        return InetAddress.getByName(s).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
    }
  }
}
