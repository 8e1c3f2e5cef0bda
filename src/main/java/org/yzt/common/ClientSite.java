package org.yzt.common;

import io.netty.util.NetUtil;

/**
 * The IPv6 site a client is counted by too (SPEC §2.6, {@code http.ipv6SitePrefixLength}, a /48: 65,536
 * /64s, so rotating /64s would escape every per-IP limit). Shared by the per-IP limiter and the
 * one-script paths of standalone and Sentinel, which count the site in the same script as the client.
 */
public final class ClientSite {
  /** A site gets this many times a client's {@code max}. */
  public static final int FACTOR = 8;

  private ClientSite() {}

  /**
   * The site of an IPv6 client named {@code "<prefix>/<bits>"} ({@code 2001:db8:1::/48} for
   * {@code 2001:db8:1:2::/64}); null for an IPv4 client, or when the client's prefix is not longer
   * than the site's.
   */
  public static String of(String client, int siteBits) {
    int slash = client.indexOf('/');
    if (slash < 0) {
      return null;
    }
    byte[] address = NetUtil.createByteArrayFromIpAddressString(client.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(client.substring(slash + 1));
    } catch (NumberFormatException e) {
      return null;
    }
    if (address == null || address.length != 16 || bits <= siteBits) {
      return null;
    }
    byte[] masked = new byte[16];
    for (int i = 0; i < 16; i++) {
      int keep = Math.max(0, Math.min(8, siteBits - i * 8));
      masked[i] = (byte) (address[i] & (0xFF << (8 - keep)));
    }
    return NetUtil.bytesToIpAddress(masked) + "/" + siteBits;
  }
}
