package org.yzt.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * PEM certificates made at test time with the {@code openssl} command (Debian package {@code openssl}):
 * a CA, and node certificates signed by it, as an operator would make them for {@code cluster.tls}.
 */
public final class TestCerts {
  private final Path dir;
  private final String ca;

  private TestCerts(Path dir, String ca) {
    this.dir = dir;
    this.ca = ca;
  }

  /** A new CA named {@code name} (its key and certificate in {@code dir}). */
  public static TestCerts newCa(Path dir, String name) {
    TestCerts certs = new TestCerts(dir, name);
    certs.openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + name,
        "-keyout", name + "-ca.key", "-out", name + "-ca.pem");
    return certs;
  }

  public Path caFile() {
    return dir.resolve(ca + "-ca.pem");
  }

  /** A node certificate signed by this CA; answers the {@code cluster.tls} section naming its files. */
  public JsonObject node(String node) {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + node, "-keyout", node + ".key", "-out", node + ".csr");
    openssl("x509", "-req", "-days", "2", "-in", node + ".csr", "-CA", ca + "-ca.pem", "-CAkey", ca + "-ca.key",
        "-CAcreateserial", "-out", node + ".pem");
    return new JsonObject().put("certFile", dir.resolve(node + ".pem").toString())
        .put("keyFile", dir.resolve(node + ".key").toString()).put("caFile", caFile().toString());
  }

  private void openssl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("openssl failed (is the openssl package installed?): " + cmd + "\n" + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot run openssl (install the Debian package openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A fresh temporary directory for certificates. */
  public static Path tempDir() {
    try {
      return Files.createTempDirectory("yzt-certs");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
