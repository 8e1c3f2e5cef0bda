package org.yzt.cluster;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jgroups.JChannel;
import org.jgroups.protocols.ASYM_ENCRYPT;
import org.jgroups.protocols.AUTH;
import org.jgroups.protocols.FD_ALL3;
import org.jgroups.protocols.FRAG4;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.MFC;
import org.jgroups.protocols.TCP;
import org.jgroups.protocols.TCPPING;
import org.jgroups.protocols.UFC;
import org.jgroups.protocols.UNICAST3;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.protocols.pbcast.GMS;
import org.jgroups.protocols.pbcast.NAKACK2;
import org.jgroups.protocols.pbcast.STABLE;
import org.jgroups.stack.Protocol;

/**
 * The JGroups stack under the Infinispan cluster manager, built in code from {@code cluster.*}: TCP
 * bound to {@code cluster.host}:{@code cluster.port} only, discovery by the {@code cluster.members}
 * list (TCPPING, never multicast; JGroups' diagnostics socket is off for a channel built in code),
 * no failure-detection socket of its own (FD_ALL3 heartbeats travel on the TCP connections).
 *
 * <p>With {@code cluster.tls}, three protocols keep strangers out (SPEC §11):
 * <ul>
 *   <li>{@code AUTH} with a {@link CertificateToken}: the coordinator lets a process into the view
 *       only on a signature by a key certified by the cluster CA. It must be there: with
 *       {@code ASYM_ENCRYPT} a joiner enters the view before it asks for the group key, and a member
 *       without the key still holds up every synchronous write to the registry it is part of.</li>
 *   <li>{@code SSL_KEY_EXCHANGE} ({@link GuardedKeyExchange}) on {@code cluster.keyExchangePort}
 *       (listening on the coordinator only, at {@code cluster.host}): the group key goes over mutual
 *       TLS, client certificates required, both ends checked against the cluster CA.</li>
 *   <li>{@code ASYM_ENCRYPT} (AES/CBC, a fresh IV per message, a new group key when a member or the
 *       coordinator leaves) under {@code SERIALIZE} ({@link SealedSerialize}), which puts the whole message (headers, source,
 *       destination) into the encrypted payload: the registry's contents never cross in clear, and a
 *       message not encrypted with the group key is dropped.</li>
 * </ul>
 */
public final class MembershipStack {
  /** A TLS handshake and one key on a busy machine; also the longest a silent peer holds the key server. */
  static final int KEY_EXCHANGE_TIMEOUT_MS = 5_000;

  private MembershipStack() {}

  /** Where this node's membership listens and whom it asks first. */
  public record Endpoints(InetAddress host, int port, int keyExchangePort, List<InetSocketAddress> members) {}

  /** A new, unconnected channel; {@code tls} null for a plaintext (dev) cluster. */
  public static JChannel channel(Endpoints at, ClusterTls tls, String clusterName) throws Exception {
    List<Protocol> stack = new ArrayList<>();
    stack.add(new TCP().setBindAddress(at.host()).setBindPort(at.port()).setPortRange(0));
    stack.add(new TCPPING().setInitialHosts(at.members()).setPortRange(0));
    stack.add(new MERGE3().setMinInterval(5_000).setMaxInterval(15_000));
    // a member that stops answering heartbeats for 15 s is suspected; one that leaves says so at once
    stack.add(new FD_ALL3().setTimeout(15_000).setInterval(3_000));
    stack.add(new VERIFY_SUSPECT2().setTimeout(1_500));
    if (tls != null) {
      stack.add(new GuardedKeyExchange().setBindAddress(at.host()).setPort(at.keyExchangePort()).setPortRange(0)
          .setRequireClientAuthentication(true).setSocketTimeout(KEY_EXCHANGE_TIMEOUT_MS)
          .setClientSSLContext(tls.sslContext()).setServerSSLContext(tls.sslContext()));
      stack.add(new ASYM_ENCRYPT().setUseExternalKeyExchange(true).setChangeKeyOnLeave(true).setChangeKeyOnCoordLeave(true)
          .symAlgorithm("AES/CBC/PKCS5Padding").symIvLength(16).symKeylength(128));
      stack.add(new SealedSerialize());
    }
    stack.add(new NAKACK2().useMcastXmit(false));
    stack.add(new UNICAST3());
    stack.add(new STABLE());
    if (tls != null) {
      CertificateToken token = new CertificateToken(tls, clusterName);
      AUTH auth = new AUTH().setAuthToken(token);
      token.setAuth(auth);
      stack.add(auth);
    }
    stack.add(new GMS().setJoinTimeout(2_000));
    stack.add(new UFC());
    stack.add(new MFC());
    stack.add(new FRAG4());
    return new JChannel(stack);
  }
}
