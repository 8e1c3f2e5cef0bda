package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import org.junit.jupiter.api.Test;

class ClientIpTest {
  @Test
  void cidrRangesMatchWhatTheySay() {
    ClientIp.Cidr net = ClientIp.Cidr.parse("10.1.0.0/16");
    assertTrue(net.contains("10.1.200.3"));
    assertFalse(net.contains("10.2.0.1"));
    assertTrue(ClientIp.Cidr.parse("192.0.2.7").contains("192.0.2.7"));
    assertFalse(ClientIp.Cidr.parse("192.0.2.7").contains("192.0.2.8"));
    assertTrue(ClientIp.Cidr.parse("2001:db8::/32").contains("2001:db8:1::5"));
    assertFalse(ClientIp.Cidr.parse("10.0.0.0/8").contains("not-an-address"));
  }

  @Test
  void namesAreRefusedNotResolved() {
    assertThrows(IllegalArgumentException.class, () -> new ClientIp(new JsonArray().add("proxy.internal")));
  }
}
