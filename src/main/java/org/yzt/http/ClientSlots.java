package org.yzt.http;

import org.yzt.limits.SiteLimit;
import org.yzt.privacy.Ids;
import org.yzt.store.RedisKeys;

/**
 * On a Redis Cluster, which front-door steps can share one script (SPEC §11: no script spans two slots):
 * a client's per-IP logs are in the slot of its token, a captcha in the slot its id names (the slot of the
 * client it was issued to, {@link RedisKeys#captchaId}); an IPv6 client's site has logs in another slot.
 */
final class ClientSlots {
  private final RedisKeys keys;
  private final int siteBits;

  ClientSlots(RedisKeys keys, int siteBits) {
    this.keys = keys;
    this.siteBits = siteBits;
  }

  /** True when every per-IP log of {@code client} is in one slot (it has no IPv6 site apart from it). */
  boolean limitsInOneSlot(String client) {
    return SiteLimit.site(client, siteBits) == null;
  }

  /** True when {@code client}'s limits and the captcha {@code captchaId} are all in one slot. */
  boolean captchaWithLimits(String client, String captchaId) {
    // the slot is read off the id: no key built and hashed for it
    return limitsInOneSlot(client) && Ids.looksLikeCaptchaId(captchaId)
        && RedisKeys.captchaSlot(captchaId) == RedisKeys.clientSlot(keys.clientToken(client));
  }
}
