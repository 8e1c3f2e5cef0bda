package org.yzt.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Blocking checks made once at start-up, before Vert.x runs: is something listening at an address,
 * and does a Redis there answer PING.
 */
final class RedisProbe {
  private RedisProbe() {}

  /** True when a TCP connection to host:port opens within {@code timeoutMs}. */
  static boolean listening(String host, int port, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when a Redis at host:port answers {@code +PONG} (not LOADING, not an error). */
  static boolean ping(String host, int port, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] reply = new byte[5];
      int n = in.readNBytes(reply, 0, reply.length);
      return n == 5 && "+PONG".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }

  /** True when a Redis at host:port takes {@code password} and answers {@code +PONG}. */
  static boolean ping(String host, int port, String password, int timeoutMs) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMs);
      s.setSoTimeout(timeoutMs);
      s.getOutputStream().write(("AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[12];
      int n = s.getInputStream().readNBytes(reply, 0, reply.length);
      return n == 12 && "+OK\r\n+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return false;
    }
  }
}
