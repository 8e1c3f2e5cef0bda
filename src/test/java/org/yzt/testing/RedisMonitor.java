package org.yzt.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Redis {@code MONITOR} on a test's own server: every command as Redis executed it, with where it
 * came from. A command sent by a client is a round trip; one run by a script shows as coming from
 * "lua". INFO commandstats cannot tell the two apart (it counts a script's commands too).
 */
public final class RedisMonitor implements AutoCloseable {
  /**
   * One executed command: {@code fromScript} when a Lua script ran it, else a client sent it;
   * {@code line} is MONITOR's whole line (the arguments, quoted).
   */
  public record Command(String name, boolean fromScript, String line) {
    /** How many arguments followed the command's name (MONITOR quotes each, escaping quotes inside with \\). */
    public int arguments() {
      int quoted = 0;
      boolean inside = false;
      for (int i = line.indexOf(']') + 1; i < line.length(); i++) {
        char c = line.charAt(i);
        if (inside && c == '\\') {
          i++;
        } else if (c == '"') {
          inside = !inside;
          quoted += inside ? 1 : 0;
        }
      }
      return quoted - 1;
    }
  }

  private final int port;
  private final Socket socket;
  private final BufferedReader in;

  private RedisMonitor(int port) throws IOException {
    this.port = port;
    this.socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    out.write("MONITOR\r\n".getBytes(StandardCharsets.UTF_8));
    out.flush();
    this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    String ok = in.readLine();
    if (!"+OK".equals(ok)) {
      throw new IOException("MONITOR answered " + ok);
    }
  }

  /** Starts watching; commands executed from now on are seen. */
  public static RedisMonitor start(RedisServer redis) {
    return start(redis.port());
  }

  /** {@link #start(RedisServer)} for any plain-TCP Redis on a loopback port (a cluster node). */
  public static RedisMonitor start(int port) {
    try {
      return new RedisMonitor(port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot monitor redis on port " + port + ": " + e.getMessage(), e);
    }
  }

  /**
   * Every command executed since {@link #start}, up to now: sends a marker and reads until it
   * comes back, so nothing executed before this call is missed.
   */
  public List<Command> commands() {
    String marker = "yzt-monitor-" + System.nanoTime();
    RedisServer.command(port, "ECHO", marker);
    List<Command> seen = new ArrayList<>();
    try {
      String line;
      while ((line = in.readLine()) != null) {
        // +1700000000.123456 [0 127.0.0.1:53122] "EVALSHA" "…" …   or   [0 lua] "HSET" …
        int close = line.indexOf(']');
        int q1 = line.indexOf('"', close);
        int q2 = line.indexOf('"', q1 + 1);
        if (close < 0 || q1 < 0 || q2 < 0) {
          continue;
        }
        String name = line.substring(q1 + 1, q2).toUpperCase(Locale.ROOT);
        if ("ECHO".equals(name) && line.contains(marker)) {
          return seen;
        }
        seen.add(new Command(name, line.substring(0, close).endsWith(" lua"), line));
      }
    } catch (IOException e) {
      throw new IllegalStateException("monitor: " + e.getMessage(), e);
    }
    throw new IllegalStateException("monitor closed before the marker came back");
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // the server may be gone already
    }
  }
}
