package org.yzt.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SPEC §10: at most one line per client and bucket a minute, with the count of refusals it stands for. */
class SecurityLogTest {
  @Test
  void oneClientRefusedManyTimesIsOneLineAMinuteCarryingTheCount() {
    SecurityLog log = new SecurityLog();
    long t = 1_000_000;
    assertEquals(1, log.admit("e|a|block", t), "the first refusal is written at once");
    for (int i = 1; i <= 5; i++) {
      assertEquals(0, log.admit("e|a|block", t + i * 1_000), "no second line within the minute");
    }
    assertEquals(6, log.admit("e|a|block", t + SecurityLog.PERIOD_MS), "a minute on: the five held back and this one");
  }

  @Test
  void twoClientsInOneMinuteGetALineEach() {
    SecurityLog log = new SecurityLog();
    assertEquals(1, log.admit("e|a|block", 1_000));
    assertEquals(1, log.admit("e|b|block", 2_000));
    assertEquals(1, log.admit("e|a|global", 3_000), "another bucket of the same client");
  }
}
