package org.yzt.cluster;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import javax.net.ssl.X509TrustManager;

/**
 * The node's {@code cluster.tls} material (PEM files) as the membership protocol uses it: the key and
 * certificate chain that prove who this node is, the CA that every other node's chain must lead to,
 * and an {@link SSLContext} made of both (the key exchange's sockets). Read with Vert.x's own PEM
 * reader, so that whatever key the event bus accepts (PKCS#8, PKCS#1, SEC1) the membership accepts
 * too; the keystore lives in memory only.
 */
public record ClusterTls(PrivateKey key, X509Certificate[] chain, X509TrustManager trust, SSLContext sslContext) {
  private static final String[] FILES = {"certFile", "keyFile", "caFile"};
  private static final String[] KEY_TYPES = {"EC", "RSA", "EdDSA", "Ed25519", "RSASSA-PSS"};

  /** True when {@code cluster.tls} names no file at all (dev: a plaintext cluster). */
  public static boolean absent(JsonObject tls) {
    return Arrays.stream(FILES).allMatch(f -> tls.getString(f, "").isBlank());
  }

  /** Checks that every file of {@code cluster.tls} is named and readable; a one-line reason otherwise. */
  public static void checkFiles(JsonObject tls) {
    for (String file : FILES) {
      String path = tls.getString(file);
      if (path == null || !Files.isReadable(Path.of(path))) {
        throw new IllegalArgumentException("cluster.tls." + file + " is not a readable file: " + path);
      }
    }
  }

  /** Loads {@code cluster.tls} (blocking: file reads and a short-lived Vert.x for its PEM reader). */
  public static ClusterTls load(JsonObject tls) {
    checkFiles(tls);
    Vertx reader = Vertx.vertx();
    try {
      KeyManagerFactory kmf = new PemKeyCertOptions().setCertPath(tls.getString("certFile"))
          .setKeyPath(tls.getString("keyFile")).getKeyManagerFactory(reader);
      TrustManagerFactory tmf = new PemTrustOptions().addCertPath(tls.getString("caFile")).getTrustManagerFactory(reader);
      X509KeyManager km = only(X509KeyManager.class, kmf.getKeyManagers(), "cluster.tls.keyFile");
      X509TrustManager tm = only(X509TrustManager.class, tmf.getTrustManagers(), "cluster.tls.caFile");
      String alias = alias(km);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(new KeyManager[] {km}, new TrustManager[] {tm}, null);
      return new ClusterTls(km.getPrivateKey(alias), km.getCertificateChain(alias), tm, ssl);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot read cluster.tls: " + e.getMessage(), e);
    } finally {
      reader.close(); // nothing waits on it: it only read three files
    }
  }

  private static String alias(X509KeyManager km) throws GeneralSecurityException {
    for (String type : KEY_TYPES) {
      String[] aliases = km.getClientAliases(type, null);
      if (aliases != null && aliases.length > 0) {
        return aliases[0];
      }
    }
    throw new GeneralSecurityException("no private key with a certificate in cluster.tls.keyFile/certFile");
  }

  private static <T> T only(Class<T> type, Object[] managers, String what) throws GeneralSecurityException {
    for (Object m : managers) {
      if (type.isInstance(m)) {
        return type.cast(m);
      }
    }
    throw new GeneralSecurityException("nothing usable in " + what);
  }
}
