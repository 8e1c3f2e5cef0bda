package org.yzt.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/**
 * SPEC §2.6: which IPv6 site a client's prefix belongs to ({@link SiteLimit#site}), at the default
 * /48 and at site lengths that cut a byte; an IPv4 client, or a prefix no longer than the site's, has
 * none (so no second round trip to Redis). SiteLimitTest shows the tier over real HTTP and Redis.
 */
class SiteOfClientTest {
  @Test
  void aSlash64BelongsToItsSlash48() {
    assertEquals("2001:db8:1::/48", SiteLimit.site("2001:db8:1:2::/64", 48));
    assertEquals("2001:db8:1::/48", SiteLimit.site("2001:db8:1:ffff::/64", 48), "every /64 of the /48 is one site");
    assertEquals("2001:db8:2::/48", SiteLimit.site("2001:db8:2:0::/64", 48), "the next /48 is another site");
  }

  @Test
  void aSiteLengthThatCutsAByteKeepsOnlyItsOwnBits() {
    assertEquals("2001:db8:abc0::/44", SiteLimit.site("2001:db8:abcd:1234::/64", 44));
    assertEquals("2001:db8:ab80::/41", SiteLimit.site("2001:db8:abff::/64", 41));
    assertEquals("2001:db8:abff:8000::/49", SiteLimit.site("2001:db8:abff:ffff::/64", 49));
    assertEquals("2001:db8:abcd:1234::/63", SiteLimit.site("2001:db8:abcd:1235::/64", 63));
    assertEquals("::/1", SiteLimit.site("7fff::/64", 1));
    assertEquals("8000::/1", SiteLimit.site("ffff::/64", 1));
  }

  @Test
  void aPrefixOnlyJustLongerThanTheSiteStillHasOne() {
    assertEquals("2001:db8:1::/48", SiteLimit.site("2001:db8:1:8000::/49", 48));
    assertNull(SiteLimit.site("2001:db8:1::/48", 48), "a client counted by its /48 is its own site");
    assertNull(SiteLimit.site("2001:db8::/32", 48));
  }

  @Test
  void anIpv4ClientOrAnUnreadableOneHasNoSite() {
    assertNull(SiteLimit.site("198.51.100.7", 48));
    assertNull(SiteLimit.site("198.51.100.7/32", 24), "IPv4 has no site tier, whatever its length");
    assertNull(SiteLimit.site("2001:db8:1:2::", 48), "no length: not a prefix");
    assertNull(SiteLimit.site("2001:db8:1:2::/x", 48));
    assertNull(SiteLimit.site("not-an-address/64", 48));
  }
}
