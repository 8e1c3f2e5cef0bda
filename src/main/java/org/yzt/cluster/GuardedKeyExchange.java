package org.yzt.cluster;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.crypto.SecretKey;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.jgroups.Event;
import org.jgroups.protocols.SSL_KEY_EXCHANGE;
import org.jgroups.util.Tuple;

/**
 * JGroups' {@code SSL_KEY_EXCHANGE} with a deadline on the key server's side. The coordinator answers
 * key requests one connection at a time, and JGroups' own server reads an accepted connection with no
 * timeout: a stranger that opens a connection to {@code cluster.keyExchangePort} and says nothing
 * would stop every later joiner from getting the group key. Here accepted connections are served
 * by four threads (beyond them sixteen wait, and any more are closed at once), each with the
 * protocol's socket timeout for the handshake and the request; the JDK's default cipher suites are
 * kept (JGroups enables every supported one).
 */
final class GuardedKeyExchange extends SSL_KEY_EXCHANGE {
  private final Sampled failures = new Sampled(GuardedKeyExchange.class, 10_000);

  /**
   * Connections served at once; more waiting than the queue holds are closed at once. Four, not two: a
   * joiner queued behind silent connections waits out their timeout, as long as its own request's, and
   * on a loaded machine gave up first (ClusterTest: B2 did not join behind three silent connections).
   */
  private final ThreadPoolExecutor serving = new ThreadPoolExecutor(4, 4, 30, TimeUnit.SECONDS,
      new ArrayBlockingQueue<>(16), r -> {
        Thread t = new Thread(r, "yzt-key-exchange");
        t.setDaemon(true);
        return t;
      }, (r, pool) -> ((Serve) r).close());

  private record Serve(GuardedKeyExchange owner, SSLSocket peer) implements Runnable {
    @Override
    public void run() {
      owner.serve(peer);
    }

    void close() {
      try {
        peer.close();
      } catch (IOException ignored) {
        // closing a connection we would not serve
      }
    }
  }

  @Override
  protected void accept() {
    SSLServerSocket server = srv_sock;
    if (server == null) {
      return;
    }
    try {
      serving.execute(new Serve(this, (SSLSocket) server.accept()));
    } catch (IOException e) {
      if (!server.isClosed()) {
        failures.warn("cluster key exchange: accept failed: {}", e.getClass().getSimpleName());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void serve(SSLSocket connection) {
    try (SSLSocket peer = connection) {
      peer.setSoTimeout(getSocketTimeout());
      peer.startHandshake(); // client certificate required: a stranger ends here
      DataInputStream in = new DataInputStream(peer.getInputStream());
      if (in.readByte() != (byte) Type.SECRET_KEY_REQ.ordinal()) {
        return;
      }
      Tuple<SecretKey, byte[]> key = (Tuple<SecretKey, byte[]>) up_prot.up(new Event(Event.GET_SECRET_KEY));
      if (key == null) {
        return;
      }
      byte[] version = key.getVal2();
      byte[] secret = key.getVal1().getEncoded();
      DataOutputStream out = new DataOutputStream(peer.getOutputStream());
      out.write(Type.SECRET_KEY_RSP.ordinal());
      out.writeInt(version.length);
      out.write(version);
      out.writeInt(secret.length);
      out.write(secret);
      out.flush();
    } catch (Exception e) {
      failures.warn("cluster key exchange refused or failed: {}", e.getClass().getSimpleName());
    }
  }

  @Override
  public void destroy() {
    serving.shutdownNow();
    super.destroy();
  }
}
