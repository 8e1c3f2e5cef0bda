package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** SPEC §11: the prod profile refuses partner URLs that cannot be a real peer's, without any DNS look-up. */
class PartnerUrlTest {
  @Test
  void aRealPeersUrlPasses() {
    assertNull(ProdGuard.urlProblem("https://carrier.example.com/api"));
    assertNull(ProdGuard.urlProblem(" https://203.0.113.7:8443/ "));
    assertNull(ProdGuard.urlProblem("https://[2001:db8::1]/"));
    assertNull(ProdGuard.urlProblem("HTTPS://gw.example.cn"));
  }

  @Test
  void eachReasonToRefuseIsNamed() {
    assertEquals("is not a URL", ProdGuard.urlProblem("https://exa mple.com/"));
    assertEquals("is not https://", ProdGuard.urlProblem("http://carrier.example.com"));
    assertEquals("is not https://", ProdGuard.urlProblem(null));
    assertEquals("has no host", ProdGuard.urlProblem("https:///v1"));
    assertEquals("has a numeric host that is not a dotted IPv4 address", ProdGuard.urlProblem("https://2130706433/"));
    for (String loopback : new String[] {"https://localhost/", "https://sim.localhost/", "https://127.0.0.1/",
        "https://127.8.9.10:1/", "https://[::1]:8443/", "https://0.0.0.0/", "https://[::]/"}) {
      assertEquals("points at a loopback address", ProdGuard.urlProblem(loopback), loopback);
    }
  }
}
