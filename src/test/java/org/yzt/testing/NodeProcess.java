package org.yzt.testing;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real child JVM on the test classpath: either the service itself ({@code org.yzt.Main -conf FILE
 * [-cluster]}, exactly what {@code java -jar yzt.jar} runs) or any other main class. Its stdout and
 * stderr are captured line by line; {@link #terminate()} sends SIGTERM ({@link Process#destroy()}),
 * {@link #kill()} SIGKILL, both through the process handle so that no output is lost.
 */
public final class NodeProcess implements AutoCloseable {
  /** The line {@code org.yzt.Main} logs once every verticle of the node is deployed. */
  public static final String STARTED = "yzt started";
  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Path confFile;
  private final Thread pump;

  private NodeProcess(String name, Process process, Path confFile) {
    this.name = name;
    this.process = process;
    this.confFile = confFile;
    this.pump = new Thread(this::pump, "output-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  /** Starts {@code mainClass} with {@code args}; waits until a line contains {@code readyMarker}. */
  public static NodeProcess start(String name, String mainClass, List<String> args, String readyMarker) {
    return start(name, mainClass, args, readyMarker, null, Map.of());
  }

  /**
   * The service as operators run it, from a complete config written to a temporary file: {@code -conf
   * FILE}, plus {@code -cluster} when asked. Waits for {@link #STARTED}.
   */
  public static NodeProcess service(String name, JsonObject config, boolean cluster) {
    Path conf = writeConf(name, config);
    List<String> args = new ArrayList<>(List.of("-conf", conf.toString()));
    if (cluster) {
      args.add("-cluster");
    }
    return start(name, "org.yzt.Main", args, STARTED, conf, Map.of());
  }

  /**
   * The packaged jar itself, {@code java -jar JAR -conf FILE} (its manifest names the main class and
   * its class path), from a complete config; waits for {@link #STARTED}.
   */
  public static NodeProcess jar(String name, Path jar, JsonObject config) {
    Path conf = writeConf(name, config);
    return start(name, List.of("-jar", jar.toString()), List.of("-conf", conf.toString()), STARTED, conf, Map.of());
  }

  /**
   * The java launcher with the flags of every child JVM the tests start: C1 only and the serial
   * collector start a short-lived JVM in about half the CPU time of the defaults (a node that refuses
   * its config: 0.8 s of CPU instead of 1.6 s, measured on 2 cores), which is what a test's JVM is.
   */
  public static List<String> javaCommand() {
    return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Djava.awt.headless=true", "-Dfile.encoding=UTF-8");
  }

  private static Path writeConf(String name, JsonObject config) {
    try {
      Path conf = Files.createTempFile("yzt-" + name, ".json");
      Files.writeString(conf, config.encodePrettily());
      return conf;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static NodeProcess start(String name, String mainClass, List<String> args, String readyMarker, Path conf,
      Map<String, String> env) {
    List<String> launch = List.of("-cp", System.getProperty("java.class.path"), mainClass);
    return start(name, launch, args, readyMarker, conf, env);
  }

  private static NodeProcess start(String name, List<String> launch, List<String> args, String readyMarker, Path conf,
      Map<String, String> env) {
    List<String> cmd = new ArrayList<>(javaCommand());
    cmd.addAll(launch);
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // the child reads no YZT_* variable of the machine running the tests
    pb.environment().keySet().removeIf(k -> k.startsWith("YZT_"));
    pb.environment().putAll(env);
    NodeProcess node;
    try {
      node = new NodeProcess(name, pb.start(), conf);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + name, e);
    }
    if (!node.awaitLine(l -> l.contains(readyMarker), 90_000)) {
      node.kill();
      throw new AssertionError(name + " did not start; its output:\n" + String.join("\n", node.lines()));
    }
    return node;
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
    synchronized (lines) {
      lines.notifyAll();
    }
  }

  /** Everything the process printed so far. */
  public List<String> lines() {
    synchronized (lines) {
      return new ArrayList<>(lines);
    }
  }

  /** Waits until a printed line matches, up to {@code timeoutMs}; false when none did (or the process ended). */
  public boolean awaitLine(Predicate<String> match, long timeoutMs) {
    long until = System.currentTimeMillis() + timeoutMs;
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return true;
          }
        }
        long left = until - System.currentTimeMillis();
        if (left <= 0 || (!process.isAlive() && seen == lines.size())) {
          return false;
        }
        try {
          lines.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  public Process process() {
    return process;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * SIGTERM, then waits up to 40 s for the exit; answers the exit code. Through the process handle:
   * {@link Process#destroy()} would also close the pipes and lose the last lines the process prints.
   */
  public int terminate() {
    process.toHandle().destroy();
    try {
      if (!process.waitFor(40, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " did not stop within 40 s of SIGTERM");
      }
      pump.join(5_000); // the last lines it printed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** SIGKILL, and waits for the exit. */
  public void kill() {
    process.toHandle().destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
      pump.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
    if (confFile != null) {
      try {
        Files.deleteIfExists(confFile);
      } catch (IOException ignored) {
        // a temporary file
      }
    }
  }
}
