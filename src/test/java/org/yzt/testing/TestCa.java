package org.yzt.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one certificate authority of the tests, made at test time with {@code openssl} (Debian package
 * {@code openssl}), as an operator would make one: EC P-256 keys (as strong as RSA-3072, and made in
 * milliseconds), and certificates it signs for 127.0.0.1 and localhost (Redis TLS, {@code cluster.tls}).
 */
public final class TestCa {
  private final Path dir;
  private final String name;

  private TestCa(Path dir, String name) {
    this.dir = dir;
    this.name = name;
  }

  /** A new CA (EC P-256 key, self-signed) in {@code dir}: {@code ca.crt}, {@code ca.key}. */
  public static TestCa create(Path dir) {
    return create(dir, "ca");
  }

  /** A new CA named {@code name} ({@code name.crt}, {@code name.key}), so several can share a folder. */
  public static TestCa create(Path dir, String name) {
    TestCa ca = new TestCa(dir, name);
    ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".crt", "-days", "2", "-subj", "/CN=yzt test CA " + name);
    return ca;
  }

  /** A fresh temporary folder for certificates. */
  public static Path tempDir() {
    try {
      return Files.createTempDirectory("yzt-certs");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path caCert() {
    return dir.resolve(name + ".crt");
  }

  /** Issues a node certificate and answers the {@code cluster.tls} section naming its files and this CA. */
  public JsonObject clusterTls(String node) {
    issue(node);
    return new JsonObject().put("certFile", cert(node).toString()).put("keyFile", key(node).toString())
        .put("caFile", caCert().toString());
  }

  public Path cert(String name) {
    return dir.resolve(name + ".crt");
  }

  public Path key(String name) {
    return dir.resolve(name + ".key");
  }

  /** Issues {@code name.crt}/{@code name.key} for 127.0.0.1 and localhost, signed by this CA. */
  public TestCa issue(String name) {
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=" + name);
    try {
      Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    openssl("x509", "-req", "-in", name + ".csr", "-CA", caCert().getFileName().toString(), "-CAkey", this.name + ".key",
        "-CAcreateserial",
        "-out", name + ".crt", "-days", "2", "-extfile", name + ".ext");
    return this;
  }

  private void openssl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new IllegalStateException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (IOException e) {
      throw new IllegalStateException("openssl is not on PATH (apt-get install openssl)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
