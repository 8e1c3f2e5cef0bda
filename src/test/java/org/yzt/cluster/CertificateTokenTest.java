package org.yzt.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jgroups.Address;
import org.jgroups.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.testing.TestCa;

/**
 * The AUTH token on the wire, with certificates made by openssl: the coordinator takes a join signed
 * by a key the cluster CA certified, for the address the join comes from, in this cluster, within a
 * minute; and nothing else (another CA's certificate, a token copied to another address or cluster,
 * an old one, none at all).
 */
class CertificateTokenTest {
  static ClusterTls member;
  static ClusterTls stranger;

  @BeforeAll
  static void certificates() throws Exception {
    Path dir = Files.createTempDirectory("yzt-token-ca");
    TestCa ca = TestCa.create(dir).issue("node").issue("other-node");
    Path otherDir = Files.createTempDirectory("yzt-token-other");
    TestCa other = TestCa.create(otherDir).issue("intruder");
    member = ClusterTls.load(files(ca, "node", ca.caCert()));
    // the stranger trusts our CA: nothing on its side stands in its way
    stranger = ClusterTls.load(files(other, "intruder", ca.caCert()));
  }

  @Test
  void aMemberJoiningForItsOwnAddressIsTaken() throws Exception {
    Address joiner = UUID.randomUUID();
    CertificateToken received = sent(new CertificateToken(member, "yzt", () -> joiner));
    assertNull(coordinator("yzt").refusal(received, joiner, System.currentTimeMillis()));
    assertNull(coordinator("yzt").refusal(received, joiner, System.currentTimeMillis() + 50_000), "within the minute");
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() throws Exception {
    Address joiner = UUID.randomUUID();
    CertificateToken received = sent(new CertificateToken(stranger, "yzt", () -> joiner));
    assertTrue(coordinator("yzt").refusal(received, joiner, System.currentTimeMillis()).contains("not from the cluster CA"));
  }

  @Test
  void aTokenSeenOnTheWireServesNoOtherAddressClusterOrTime() throws Exception {
    Address joiner = UUID.randomUUID();
    CertificateToken received = sent(new CertificateToken(member, "yzt", () -> joiner));
    long now = System.currentTimeMillis();
    assertTrue(coordinator("yzt").refusal(received, UUID.randomUUID(), now).contains("signature does not match"));
    assertTrue(coordinator("other").refusal(received, joiner, now).contains("signature does not match"));
    assertNotNull(coordinator("yzt").refusal(received, joiner, now + CertificateToken.MAX_AGE_MS + 1_000), "too old");
  }

  @Test
  void aJoinWithoutACertificateIsRefused() throws Exception {
    Address joiner = UUID.randomUUID();
    assertEquals("no certificate", coordinator("yzt").refusal(null, joiner, System.currentTimeMillis()));
    assertEquals("no certificate", coordinator("yzt").refusal(new CertificateToken(), joiner, System.currentTimeMillis()));
  }

  private static CertificateToken coordinator(String cluster) {
    return new CertificateToken(member, cluster, UUID::randomUUID);
  }

  /** Through bytes, as JGroups carries it: what the coordinator holds is only what was written. */
  private static CertificateToken sent(CertificateToken token) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    token.writeTo(new DataOutputStream(bytes));
    assertEquals(token.size(), bytes.size(), "size() is what writeTo writes");
    CertificateToken received = new CertificateToken();
    received.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    return received;
  }

  private static JsonObject files(TestCa ca, String name, Path caFile) {
    return new JsonObject().put("certFile", ca.cert(name).toString()).put("keyFile", ca.key(name).toString())
        .put("caFile", caFile.toString());
  }
}
