package org.yzt.http;

import io.netty.util.NetUtil;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The client address of SPEC §2.6: the socket peer, unless the peer is a trusted proxy
 * ({@code http.trustedProxies}: addresses or CIDR ranges), in which case the right-most hop of
 * {@code X-Forwarded-For} (every header line, joined in order, is one list) that is not itself
 * trusted. Hops are parsed as IP literals, never looked up in DNS; a hop that is not a literal ends
 * the walk at the last address reached (the trusted hop to its right, or the peer). An IPv6 client
 * is named by its {@code http.ipv6PrefixLength} prefix ({@code 2001:db8:1:2::/64}), since one
 * subscriber gets a whole /64 and can rotate freely inside it; an IPv4 client by its address.
 */
public final class ClientIp {
  static final String UNKNOWN = "unknown";
  /** The header's name made once as an ASCII string: looked up on every request without encoding it again. */
  private static final CharSequence X_FORWARDED_FOR = HttpHeaders.createOptimized("X-Forwarded-For");
  private final List<Cidr> trusted = new ArrayList<>();
  private final int ipv6PrefixBits;

  public ClientIp(JsonArray trustedProxies, int ipv6PrefixBits) {
    if (ipv6PrefixBits < 1 || ipv6PrefixBits > 128) {
      throw new IllegalArgumentException("http.ipv6PrefixLength must be 1 to 128");
    }
    this.ipv6PrefixBits = ipv6PrefixBits;
    if (trustedProxies != null) {
      for (Object o : trustedProxies) {
        trusted.add(Cidr.parse(String.valueOf(o)));
      }
    }
  }

  public String of(HttpServerRequest req) {
    // the connection's own address: the request's (vertx-web's wrapper) is worked out per request
    // from its Forwarded headers, which this class reads itself
    SocketAddress remote = req.connection() == null ? null : req.connection().remoteAddress();
    return resolve(remote == null ? null : remote.hostAddress(), req.headers().getAll(X_FORWARDED_FOR));
  }

  /** The client named by a socket peer and the request's {@code X-Forwarded-For} lines, in order. */
  String resolve(String peer, List<String> forwardedFor) {
    Peer p = peer(peer);
    if (p == null) {
      return UNKNOWN;
    }
    if (!p.trusted() || forwardedFor == null) {
      return p.name();
    }
    byte[] client = p.address();
    // right to left over every hop of every line, without splitting them into a list
    for (int line = forwardedFor.size() - 1; line >= 0; line--) {
      String hops = forwardedFor.get(line);
      int end = hops.length();
      while (end >= 0) {
        int comma = hops.lastIndexOf(',', end - 1);
        String hop = hops.substring(comma + 1, end).trim();
        end = comma;
        if (hop.isEmpty()) {
          continue;
        }
        byte[] address = literal(hop);
        if (address == null || !isTrusted(address)) {
          // not an address: nothing left of it can be believed; an untrusted one is the client
          return name(address == null ? client : address);
        }
        client = address;
      }
    }
    return name(client);
  }

  /** A socket peer: its address, whether it is a trusted proxy, and its name as a client. */
  private record Peer(String text, byte[] address, boolean trusted, String name) {}

  /**
   * The last peer seen, kept: behind a proxy every request comes from the same few addresses, so the
   * literal is parsed and matched once, not per request (a stale or racing value is only re-parsed).
   */
  private volatile Peer lastPeer;

  private Peer peer(String text) {
    Peer last = lastPeer;
    if (last != null && last.text().equals(text)) {
      return last;
    }
    byte[] address = literal(text);
    if (address == null) {
      return null;
    }
    Peer p = new Peer(text, address, isTrusted(address), name(address));
    lastPeer = p;
    return p;
  }

  private boolean isTrusted(byte[] address) {
    for (Cidr c : trusted) {
      if (c.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** The name a client is counted under: the IPv4 address, or the IPv6 prefix. */
  private String name(byte[] address) {
    if (address.length == 4) {
      return NetUtil.bytesToIpAddress(address);
    }
    return NetUtil.bytesToIpAddress(Cidr.mask(address, ipv6PrefixBits)) + "/" + ipv6PrefixBits;
  }

  /**
   * An IP literal as 4 or 16 bytes (an IPv4-mapped IPv6 address as its IPv4 address), or null.
   * Takes {@code [v6]}, {@code [v6]:port} and {@code v4:port} as some proxies write them. Never DNS.
   */
  static byte[] literal(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return null;
    }
    String s = text;
    if (s.startsWith("[")) {
      int end = s.indexOf(']');
      if (end < 0) {
        return null;
      }
      s = s.substring(1, end);
    } else if (s.indexOf(':') > 0 && s.indexOf(':') == s.lastIndexOf(':') && s.indexOf('.') > 0) {
      s = s.substring(0, s.indexOf(':'));
    }
    byte[] bytes = NetUtil.createByteArrayFromIpAddressString(s);
    if (bytes != null && bytes.length == 16 && isIpv4Mapped(bytes)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static boolean isIpv4Mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return b[10] == (byte) 0xFF && b[11] == (byte) 0xFF;
  }

  /** An address range; a plain address is a range of one. Only literal addresses, never a DNS name. */
  record Cidr(byte[] network, int prefixBits) {
    static Cidr parse(String text) {
      String[] parts = text.trim().split("/");
      byte[] addr = literal(parts[0]);
      int bits;
      try {
        bits = parts.length > 1 ? Integer.parseInt(parts[1]) : addr == null ? 0 : addr.length * 8;
      } catch (NumberFormatException e) {
        bits = -1;
      }
      if (addr == null || parts.length > 2 || bits < 0 || bits > addr.length * 8) {
        throw new IllegalArgumentException("http.trustedProxies: not an IP address or CIDR range: " + text);
      }
      return new Cidr(mask(addr, bits), bits);
    }

    boolean contains(String address) {
      byte[] a = literal(address);
      return a != null && contains(a);
    }

    boolean contains(byte[] a) {
      return a.length == network.length && Arrays.equals(mask(a, prefixBits), network);
    }

    /** The first {@code bits} bits of {@code address}, the rest zero. */
    static byte[] mask(byte[] address, int bits) {
      byte[] out = new byte[address.length];
      for (int i = 0; i < address.length; i++) {
        int keep = Math.max(0, Math.min(8, bits - i * 8));
        out[i] = (byte) (address[i] & (0xFF << (8 - keep)));
      }
      return out;
    }
  }
}
