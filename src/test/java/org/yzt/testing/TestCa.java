package org.yzt.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A certificate authority made at test time with {@code openssl} (Debian package), and certificates it signs. */
public final class TestCa {
  private final Path dir;

  private TestCa(Path dir) {
    this.dir = dir;
  }

  /** A new CA (EC P-256 key, self-signed) in {@code dir}. */
  public static TestCa create(Path dir) {
    TestCa ca = new TestCa(dir);
    ca.openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=yzt test CA");
    return ca;
  }

  public Path caCert() {
    return dir.resolve("ca.crt");
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
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
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
