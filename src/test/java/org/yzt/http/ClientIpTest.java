package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpTest {
  private static final String PROXY = "10.0.0.5";
  private final ClientIp behindProxy = new ClientIp(new JsonArray().add("10.0.0.0/8").add("2001:db8:ffff::/48"), 64);

  @Test
  void cidrRangesMatchWhatTheySay() {
    ClientIp.Cidr net = ClientIp.Cidr.parse("10.1.0.0/16");
    assertTrue(net.contains("10.1.200.3"));
    assertFalse(net.contains("10.2.0.1"));
    assertTrue(ClientIp.Cidr.parse("192.0.2.7").contains("192.0.2.7"));
    assertFalse(ClientIp.Cidr.parse("192.0.2.7").contains("192.0.2.8"));
    assertTrue(ClientIp.Cidr.parse("2001:db8::/32").contains("2001:db8:1::5"));
    assertFalse(ClientIp.Cidr.parse("2001:db8::/32").contains("2001:db9::5"));
    assertTrue(ClientIp.Cidr.parse("10.0.0.0/9").contains("10.127.0.1"));
    assertFalse(ClientIp.Cidr.parse("10.0.0.0/9").contains("10.128.0.1"));
    assertFalse(ClientIp.Cidr.parse("10.0.0.0/8").contains("not-an-address"));
  }

  @Test
  void namesAreRefusedNotResolved() {
    assertThrows(IllegalArgumentException.class, () -> new ClientIp(new JsonArray().add("proxy.internal"), 64));
    assertThrows(IllegalArgumentException.class, () -> new ClientIp(new JsonArray().add("10.0.0.0/33"), 64));
    // all hex letters and dots: it passed the old filter and went to InetAddress.getByName
    assertNull(ClientIp.literal("dead.beef.cafe"));
    assertNull(ClientIp.literal("localhost"));
    assertNull(ClientIp.literal("1.2.3"));
  }

  @Test
  void anUntrustedPeerIsTheClientWhateverItForwards() {
    assertEquals("198.51.100.7", behindProxy.resolve("198.51.100.7", List.of("203.0.113.1")));
  }

  /** The last peer is kept parsed: peers taking turns each keep their own trust and name. */
  @Test
  void peersTakingTurnsAreEachJudgedAsThemselves() {
    for (int i = 0; i < 3; i++) {
      assertEquals("203.0.113.1", behindProxy.resolve(PROXY, List.of("203.0.113.1")));
      assertEquals("198.51.100.7", behindProxy.resolve("198.51.100.7", List.of("203.0.113.1")));
      assertEquals("10.0.0.6", behindProxy.resolve("10.0.0.6", List.of()));
      assertEquals("10.0.0.6", behindProxy.resolve("10.0.0.6", List.of(",, ,")));
      assertEquals(ClientIp.UNKNOWN, behindProxy.resolve("not-an-address", List.of("203.0.113.1")));
      assertEquals("2001:db8:aa:1::/64", behindProxy.resolve("2001:db8:aa:1::1", List.of("203.0.113.1")));
    }
  }

  @Test
  void everyForwardedForLineJoinedInOrderIsOneList() {
    // the client wrote the first line itself; the trusted proxy appended the second
    assertEquals("203.0.113.50", behindProxy.resolve(PROXY, List.of("192.0.2.66", "203.0.113.50")));
    assertEquals("203.0.113.50", behindProxy.resolve(PROXY, List.of("192.0.2.66, 203.0.113.50", "10.9.9.9")));
    assertEquals("203.0.113.50", behindProxy.resolve(PROXY, List.of("192.0.2.66", "203.0.113.50, 10.1.1.1", " ")));
  }

  @Test
  void aHopThatIsNotAnIpLiteralEndsTheWalk() {
    // the name is not resolved (localhost would be 127.0.0.1, dead.beef.cafe an AAAA look-up):
    // nothing left of it is believed, the last address reached is the client
    assertEquals(PROXY, behindProxy.resolve(PROXY, List.of("203.0.113.9, dead.beef.cafe")));
    assertEquals(PROXY, behindProxy.resolve(PROXY, List.of("203.0.113.9, localhost")));
    assertEquals("10.2.2.2", behindProxy.resolve(PROXY, List.of("203.0.113.9, dead.beef.cafe, 10.2.2.2")));
    assertEquals("203.0.113.9", behindProxy.resolve(PROXY, List.of("dead.beef.cafe, 203.0.113.9")));
  }

  @Test
  void anIpv6ClientIsCountedByItsSlash64AndIpv4ByItsAddress() {
    ClientIp direct = new ClientIp(new JsonArray(), 64);
    assertEquals("2001:db8:aa:1::/64", direct.resolve("2001:db8:aa:1::1", List.of()));
    assertEquals("2001:db8:aa:1::/64", direct.resolve("2001:db8:aa:1:ffff:ffff:ffff:fffe", List.of()));
    assertEquals("2001:db8:aa:2::/64", direct.resolve("2001:db8:aa:2::1", List.of()));
    assertEquals("2001:db8:aa:1::/64", behindProxy.resolve(PROXY, List.of("2001:db8:aa:1:1234::9")));
    assertEquals("2001:db8:aa:1::/64", behindProxy.resolve(PROXY, List.of("[2001:db8:aa:1::9]:443")));
    assertEquals("2001:db8:a0::/44", new ClientIp(new JsonArray(), 44).resolve("2001:db8:aa:1::1", List.of()));
    assertEquals("198.51.100.7", direct.resolve("198.51.100.7", List.of()));
    assertEquals("198.51.100.7", direct.resolve("::ffff:198.51.100.7", List.of()));
    assertEquals("198.51.100.7", behindProxy.resolve(PROXY, List.of("198.51.100.7:5123")));
    // a trusted IPv6 proxy range is matched on the full address, not the /64
    assertEquals("2001:db8:aa:1::/64", behindProxy.resolve("2001:db8:ffff::1", List.of("2001:db8:aa:1::9")));
  }

  @Test
  void edgesOfTheConfiguration() {
    assertThrows(IllegalArgumentException.class, () -> new ClientIp(new JsonArray(), 0));
    assertThrows(IllegalArgumentException.class, () -> new ClientIp(new JsonArray(), 129));
    assertEquals("2001:db8:aa:1::1/128", new ClientIp(new JsonArray(), 128).resolve("2001:db8:aa:1::1", List.of()));
    assertEquals("::/1", new ClientIp(new JsonArray(), 1).resolve("2001:db8:aa:1::1", List.of()));
    assertTrue(ClientIp.Cidr.parse("0.0.0.0/0").contains("198.51.100.7"));
    assertThrows(IllegalArgumentException.class, () -> ClientIp.Cidr.parse("10.0.0.0/-1"));
    // only ::ffff:a.b.c.d is an IPv4 client; ::1 and other v6 addresses stay v6
    assertEquals("::/64", new ClientIp(new JsonArray(), 64).resolve("::1", List.of()));
    assertNull(ClientIp.literal("[2001:db8::1"));
  }

  @Test
  void anUnreadablePeerIsUnknown() {
    assertEquals(ClientIp.UNKNOWN, behindProxy.resolve(null, List.of("203.0.113.1")));
  }

  @Test
  void aRealRequestIsReadFromItsConnectionAndItsForwardedForLines() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      ClientIp trusting = new ClientIp(new JsonArray().add("127.0.0.1"), 64);
      ClientIp trustingNone = new ClientIp(new JsonArray(), 64);
      var server = vertx.createHttpServer().requestHandler(req -> req.response()
              .end(trusting.of(req) + " " + trustingNone.of(req)))
          .listen(0, "127.0.0.1").await(10, java.util.concurrent.TimeUnit.SECONDS);
      var client = io.vertx.ext.web.client.WebClient.create(vertx);
      String answer = client.get(server.actualPort(), "127.0.0.1", "/").putHeader("X-Forwarded-For", "198.51.100.1")
          .putHeader("X-Forwarded-For", "203.0.113.9").send().await(10, java.util.concurrent.TimeUnit.SECONDS).bodyAsString();
      assertEquals("203.0.113.9 127.0.0.1", answer, "the right-most hop behind a trusted peer; the peer otherwise");
    } finally {
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
