package org.yzt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The container's health check: {@code java -cp yzt.jar org.yzt.cli.ReadyProbe PORT} asks
 * {@code GET /ready} on 127.0.0.1:PORT and exits 0 on a 200, 1 otherwise, printing one line. It is a
 * class of its own, not a subcommand, so that it starts no Vert.x, reads no configuration and loads
 * no logging: a JVM that opens one socket, every few seconds, and needs no curl in the image.
 */
public final class ReadyProbe {
  static final int TIMEOUT_MS = 2000;

  private ReadyProbe() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /** The exit status for {@code args} (one port number), with its one line printed to {@code out}. */
  public static int run(String[] args, PrintStream out) {
    int port;
    try {
      port = args.length == 1 ? Integer.parseInt(args[0]) : -1;
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 1 || port > 65535) {
      out.println("usage: java -cp yzt.jar org.yzt.cli.ReadyProbe PORT");
      return Subcommand.USAGE;
    }
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MS);
      socket.setSoTimeout(TIMEOUT_MS);
      OutputStream request = socket.getOutputStream();
      request.write(("GET /ready HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      request.flush();
      String status = statusLine(socket.getInputStream());
      if (status.startsWith("HTTP/1.1 200 ") || status.startsWith("HTTP/1.0 200 ")) {
        out.println("ready");
        return Subcommand.OK;
      }
      out.println("not ready: " + status);
      return Subcommand.FAILED;
    } catch (IOException e) {
      out.println("not ready: " + e.getClass().getSimpleName());
      return Subcommand.FAILED;
    }
  }

  private static String statusLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c = in.read(); c >= 0 && c != '\n' && line.length() < 200; c = in.read()) {
      if (c != '\r') {
        line.append((char) c);
      }
    }
    return line.toString();
  }
}
