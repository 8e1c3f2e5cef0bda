package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * SPEC §5 and §11 on {@code target/yzt.jar} itself, as operators run it: {@code java -jar} through
 * the jar's manifest (every other test starts {@code org.yzt.Main} from the class path, which the
 * manifest never sees). Run by failsafe in the integration-test phase, after {@code package} built
 * the jar.
 */
class PackagedJarIT {
  static final Path JAR = Path.of("target", "yzt.jar");

  record Run(int status, String out) {}

  static Run java(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("YZT_"));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -jar " + String.join(" ", args) + " did not end");
    return new Run(p.exitValue(), out);
  }

  static String pomVersion() throws IOException {
    Matcher m = Pattern.compile("<artifactId>yzt</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find(), "the project version in pom.xml");
    return m.group(1);
  }

  @Test
  void versionAndHelpComeFromTheJar() throws Exception {
    assertTrue(Files.isRegularFile(JAR), "mvn package builds " + JAR);
    Run version = java("--version");
    assertEquals(0, version.status(), version.out());
    assertEquals("yzt " + pomVersion() + "\n", version.out());
    Run help = java("--help");
    assertEquals(0, help.status(), help.out());
    for (String word : List.of("usage: java -jar yzt.jar", "-conf FILE", "--version", "admin", "dead-letters",
        "redrive-all", "pause-codes", "resume-codes", "conformance")) {
      assertTrue(help.out().contains(word), "--help names " + word + ":\n" + help.out());
    }
    Run wrong = java("--no-such-option");
    assertEquals(2, wrong.status(), wrong.out());
    assertEquals(1, wrong.out().lines().count(), wrong.out());
  }

  @Test
  void theJarRunsTheServiceAndStopsCleanlyOnSigterm() throws Exception {
    try (RedisServer redis = RedisServer.startNew()) {
      JsonObject config = TestService.config(redis, null);
      int port = config.getJsonObject("http").getInteger("port");
      NodeProcess node = NodeProcess.jar("jar", JAR, config);
      try {
        java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/ready")).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, ready.statusCode(), ready.body());
        // nothing Hazelcast or the JDK would say without the manifest's Add-Opens
        assertTrue(node.lines().stream().noneMatch(l -> l.contains("illegal reflective") || l.contains("--add-opens")),
            String.join("\n", node.lines()));
        assertEquals(143, node.terminate(), "SIGTERM with the shutdown hook run (128 + 15)");
      } finally {
        node.close();
      }
    }
  }
}
