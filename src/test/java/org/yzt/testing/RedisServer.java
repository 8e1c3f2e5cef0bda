package org.yzt.testing;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yzt.embedded.EmbeddedRedis;

/**
 * A real {@code redis-server} (from PATH, else the embedded one: {@link #executable()}) on a free loopback port, private to one test class: never
 * the shared 6379. {@link #stop()} and {@link #start()} let a test take Redis away and bring it back
 * on the same port.
 */
public final class RedisServer implements AutoCloseable {
  private static String executable;
  private final int port;
  private final Path dir;
  private RedisProcess process;
  private boolean appendOnly;

  private RedisServer(int port, Path dir) {
    this.port = port;
    this.dir = dir;
  }

  public static RedisServer startNew() {
    return startNew(false);
  }

  private static RedisServer startNew(boolean appendOnly) {
    return RedisProcess.onFreePort(port -> {
      RedisServer server;
      try {
        server = new RedisServer(port, Files.createTempDirectory("yzt-redis"));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      server.appendOnly = appendOnly;
      try {
        server.start();
      } catch (RedisProcess.PortTaken e) {
        server.close();
        throw e;
      }
      return server;
    });
  }

  /**
   * A server that writes every command to its append-only file before answering
   * ({@code appendonly yes}, {@code appendfsync always}), so a SIGKILL and {@link #start()} bring
   * back everything it acknowledged.
   */
  public static RedisServer startNewWithAof() {
    return startNew(true);
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port + "/0";
  }

  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> args = new ArrayList<>(List.of("--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", appendOnly ? "yes" : "no", "--dir", dir.toString(), "--protected-mode", "no"));
    if (appendOnly) {
      args.addAll(List.of("--appendfsync", "always"));
    }
    // the one launcher of redis-server processes: ready when its log says so, PortTaken on a clash
    process = RedisProcess.start(dir, "redis", port, "Ready to accept connections", args);
  }

  /** Kills the server (as a crash would) and waits until it has exited. */
  public synchronized void stop() {
    if (process != null) {
      process.kill();
      process = null;
    }
  }

  /** Deletes what the server persisted (its append-only files), so the next {@link #start()} is empty. Call while stopped. */
  public synchronized void wipeData() {
    deleteUnder(dir.toFile(), false);
  }

  private static void deleteUnder(File d, boolean self) {
    File[] files = d.listFiles();
    if (files != null) {
      for (File f : files) {
        if (!f.getName().equals("redis.log")) {
          deleteUnder(f, true);
        }
      }
    }
    if (self) {
      d.delete();
    }
  }

  /** Sends one inline command and returns the first reply line, or null when nothing answers. */
  public String command(String inline) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      OutputStream out = s.getOutputStream();
      out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      StringBuilder sb = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\r') {
        sb.append((char) c);
      }
      return sb.toString();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Every key with its full value dump, as text: what a person reading the store would see, in
   * the values' stored form.
   */
  public String dumpAll() {
    StringBuilder out = new StringBuilder();
    for (String key : cli("KEYS", "*").split("\n")) {
      if (key.isBlank()) {
        continue;
      }
      out.append("KEY ").append(key).append('\n');
      String type = cli("TYPE", key).trim();
      switch (type) {
        case "string" -> out.append(cli("GET", key));
        case "hash" -> out.append(cli("HGETALL", key));
        case "zset" -> out.append(cli("ZRANGE", key, "0", "-1", "WITHSCORES"));
        case "set" -> out.append(cli("SMEMBERS", key));
        case "list" -> out.append(cli("LRANGE", key, "0", "-1"));
        case "stream" -> out.append(cli("XRANGE", key, "-", "+"));
        default -> out.append(type);
      }
      out.append('\n');
    }
    return out.toString();
  }

  /**
   * One command, its reply as redis-cli prints it without a terminal: a value per line, nil as an
   * empty line, an error as its text. Spoken in RESP over a socket, so no redis-cli is needed.
   */
  public String cli(String... args) {
    return command(port, args);
  }

  /** {@link #cli} for any plain-TCP Redis (or sentinel) on a loopback port. */
  public static String command(int port, String... args) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      for (String a : args) {
        byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
        out.write(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.write("\r\n".getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
      StringBuilder text = new StringBuilder();
      readReply(new BufferedInputStream(s.getInputStream()), text);
      return text.toString();
    } catch (IOException e) {
      throw new IllegalStateException("redis on port " + port + ": " + e.getMessage(), e);
    }
  }

  private static void readReply(InputStream in, StringBuilder text) throws IOException {
    String line = readLine(in);
    char type = line.charAt(0);
    String rest = line.substring(1);
    switch (type) {
      case '+', '-', ':' -> text.append(rest).append('\n');
      case '$' -> {
        int len = Integer.parseInt(rest);
        if (len >= 0) {
          text.append(new String(in.readNBytes(len), StandardCharsets.UTF_8));
          readLine(in);
        }
        text.append('\n');
      }
      case '*' -> {
        int n = Integer.parseInt(rest);
        for (int i = 0; i < n; i++) {
          readReply(in, text);
        }
      }
      default -> throw new IOException("unexpected reply " + line);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\r') {
        in.read(); // the \n
        return sb.toString();
      }
      sb.append((char) c);
    }
    throw new IOException("connection closed");
  }

  @Override
  public void close() {
    stop();
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        f.delete();
      }
    }
    dir.toFile().delete();
  }

  /**
   * Debian's {@code redis-server} (7.x, what production runs) when it is on PATH, else the 6.2 binary
   * that ships inside the embedded-redis library, unpacked once into the user's cache.
   */
  public static synchronized String executable() {
    if (executable == null) {
      executable = onPath("redis-server");
      if (executable == null) {
        try {
          executable = EmbeddedRedis.binary(Path.of(System.getProperty("user.home"), ".cache", "yzt", "bin")).toString();
        } catch (IOException e) {
          throw new IllegalStateException("no redis-server on PATH and no embedded one: " + e.getMessage(), e);
        }
      }
    }
    return executable;
  }

  private static String onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (!dir.isEmpty() && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return null;
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A port {@code p} with {@code p + 1} free too, both checked by binding them together: a cluster node
   * takes {@code cluster.port} and its key exchange {@code cluster.port + 1} (a free port whose neighbour
   * was taken left the coordinator without a key server, and the other node never joined). Drawn below
   * Linux's ephemeral range (32768 and up), where the machine's own outgoing connections take ports.
   */
  public static int freePortPair() {
    java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 200; attempt++) {
      int p = random.nextInt(20_000, 32_000);
      try (ServerSocket a = new ServerSocket(p); ServerSocket b = new ServerSocket(p + 1)) {
        return p;
      } catch (IOException taken) {
        // one of the two is in use: try another
      }
    }
    throw new IllegalStateException("no two free neighbouring ports");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
