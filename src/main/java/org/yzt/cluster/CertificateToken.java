package org.yzt.cluster;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.function.Supplier;
import org.jgroups.Address;
import org.jgroups.Message;
import org.jgroups.auth.AuthToken;
import org.jgroups.util.UUID;

/**
 * JGroups {@code AUTH} token of a yzt node: its certificate chain and a signature, made with the key
 * of that certificate, over the cluster name, the sender's own member address and the time. The
 * coordinator takes a join (or merge) only when the chain leads to {@code cluster.tls.caFile}, the
 * signature checks against the certificate's key, the address signed is the one the request comes
 * from, and the time is within {@link #MAX_AGE_MS}; a joiner takes the coordinator's answer on the
 * same terms. So a process without a key certified by the cluster CA never enters the view, and a
 * token seen on the wire cannot be used for another address, and not for long for the same one.
 *
 * <p>The no-argument constructor is JGroups': it rebuilds a received token from its bytes, and such a
 * token only carries data.
 */
public final class CertificateToken extends AuthToken {
  private static final Sampled REFUSALS = new Sampled(CertificateToken.class, 10_000);
  /** How old (or how far ahead of this node's clock) a signed join may be. */
  static final long MAX_AGE_MS = 60_000;
  /** A signature is made again after this long (JGroups serialises the token for every join attempt). */
  private static final long RESIGN_MS = 10_000;
  private static final int MAX_CERTS = 8;
  private static final int MAX_BYTES = 16 * 1024;
  private static final byte[] CONTEXT = "yzt cluster join v1".getBytes(StandardCharsets.US_ASCII);

  private final ClusterTls tls;
  private final String clusterName;
  private final Supplier<Address> self;
  private volatile Signed signed;

  /** What travels: the certificates (DER), when it was signed, the signature. */
  private record Signed(Address signer, byte[][] chain, long timeMs, byte[] signature) {}

  public CertificateToken() {
    this(null, null);
  }

  /** The token of this node, signing for the address {@code AUTH} has for it. */
  public CertificateToken(ClusterTls tls, String clusterName) {
    this.tls = tls;
    this.clusterName = clusterName;
    this.self = () -> auth != null ? auth.getAddress() : null;
  }

  /** The same, signing for the addresses {@code self} answers (tests). */
  CertificateToken(ClusterTls tls, String clusterName, Supplier<Address> self) {
    this.tls = tls;
    this.clusterName = clusterName;
    this.self = self;
  }

  @Override
  public String getName() {
    return CertificateToken.class.getName();
  }

  @Override
  public boolean authenticate(AuthToken token, Message msg) {
    String refused = refusal(token, msg.getSrc(), System.currentTimeMillis());
    if (refused != null) {
      REFUSALS.warn("cluster membership refused: {}", msg.getSrc() + ": " + refused);
      return false;
    }
    return true;
  }

  /** Why {@code token} from {@code sender} is refused, or null when it is taken. */
  String refusal(AuthToken token, Address sender, long nowMs) {
    if (!(token instanceof CertificateToken t) || t.signed == null || t.signed.chain.length == 0) {
      return "no certificate";
    }
    if (!(sender instanceof UUID member)) {
      return "no member address";
    }
    Signed s = t.signed;
    if (Math.abs(nowMs - s.timeMs) > MAX_AGE_MS) {
      return "signed " + (nowMs - s.timeMs) + " ms from now";
    }
    try {
      X509Certificate[] chain = decode(s.chain);
      PublicKey key = chain[0].getPublicKey();
      tls.trust().checkClientTrusted(chain, key.getAlgorithm());
      Signature verifier = Signature.getInstance(algorithm(key));
      verifier.initVerify(key);
      verifier.update(signedBytes(clusterName, member, s.timeMs));
      return verifier.verify(s.signature) ? null : "the signature does not match the certificate and address";
    } catch (GeneralSecurityException | RuntimeException e) {
      return "certificate not from the cluster CA or unusable (" + e.getClass().getSimpleName() + ")";
    }
  }

  @Override
  public int size() {
    Signed s = current();
    int size = Integer.BYTES;
    for (byte[] c : s.chain) {
      size += Integer.BYTES + c.length;
    }
    return size + Long.BYTES + Integer.BYTES + s.signature.length;
  }

  @Override
  public void writeTo(DataOutput out) throws IOException {
    Signed s = current();
    out.writeInt(s.chain.length);
    for (byte[] c : s.chain) {
      writeBytes(out, c);
    }
    out.writeLong(s.timeMs);
    writeBytes(out, s.signature);
  }

  @Override
  public void readFrom(DataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_CERTS) {
      throw new IOException("bad certificate count");
    }
    byte[][] chain = new byte[n][];
    for (int i = 0; i < n; i++) {
      chain[i] = readBytes(in);
    }
    long time = in.readLong();
    signed = new Signed(null, chain, time, readBytes(in));
  }

  /** This node's signed token for its current address, made again when the address changed or it aged. */
  private Signed current() {
    if (tls == null) {
      Signed received = signed;
      return received != null ? received : new Signed(null, new byte[0][], 0, new byte[0]);
    }
    Address self = this.self.get();
    long now = System.currentTimeMillis();
    Signed s = signed;
    if (s != null && s.signer != null && s.signer.equals(self) && now - s.timeMs < RESIGN_MS) {
      return s;
    }
    try {
      byte[][] chain = new byte[tls.chain().length][];
      for (int i = 0; i < chain.length; i++) {
        chain[i] = tls.chain()[i].getEncoded();
      }
      byte[] signature = new byte[0];
      if (self instanceof UUID member) {
        Signature signer = Signature.getInstance(algorithm(tls.key()));
        signer.initSign(tls.key());
        signer.update(signedBytes(clusterName, member, now));
        signature = signer.sign();
      }
      s = new Signed(self, chain, now, signature);
      signed = s;
      return s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign the cluster join with cluster.tls.keyFile", e);
    }
  }

  private static byte[] signedBytes(String clusterName, UUID member, long timeMs) {
    byte[] name = String.valueOf(clusterName).getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(CONTEXT.length + 4 + name.length + 3 * Long.BYTES).put(CONTEXT).putInt(name.length).put(name)
        .putLong(member.getMostSignificantBits()).putLong(member.getLeastSignificantBits()).putLong(timeMs).array();
  }

  private static String algorithm(java.security.Key key) throws GeneralSecurityException {
    return switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "EdDSA", "Ed25519" -> "Ed25519";
      default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
    };
  }

  private static X509Certificate[] decode(byte[][] der) throws GeneralSecurityException {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    X509Certificate[] chain = new X509Certificate[der.length];
    for (int i = 0; i < der.length; i++) {
      chain[i] = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der[i]));
    }
    return chain;
  }

  private static void writeBytes(DataOutput out, byte[] b) throws IOException {
    out.writeInt(b.length);
    out.write(b);
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    int len = in.readInt();
    if (len < 0 || len > MAX_BYTES) {
      throw new IOException("bad length");
    }
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  @Override
  public String toString() {
    return "CertificateToken";
  }
}
