package org.yzt.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SmsRetryPolicyTest {
  private final SmsRetryPolicy policy = new SmsRetryPolicy(200, 60_000, 100);
  private final Random random = new Random(7);

  @Test
  void doublesFromAboutTwoHundredMillisWithJitterUpToTheCap() {
    for (int i = 0; i < 200; i++) {
      long first = policy.backoff(1, random);
      long third = policy.backoff(3, random);
      assertTrue(first >= 160 && first <= 240, "first " + first);
      assertTrue(third >= 640 && third <= 960, "third " + third);
      assertTrue(policy.backoff(20, random) <= 60_000);
      assertTrue(policy.backoff(Integer.MAX_VALUE, random) >= 48_000);
    }
  }

  @Test
  void neverPastTheDeadline() {
    long now = 1_000_000;
    for (int retry = 1; retry < 30; retry++) {
      long d = policy.nextDelay(retry, now, now + 500, null, random);
      assertTrue(d >= 1 && d <= 400, "delay " + d);
    }
    assertEquals(-1, policy.nextDelay(1, now, now + 100, null, random));
    assertEquals(-1, policy.nextDelay(1, now, now - 5, null, random));
  }

  @Test
  void honoursRetryAfterWithinTheCapAndTheDeadline() {
    long now = 0;
    assertEquals(5000, policy.nextDelay(1, now, 100_000, 5000L, random));
    assertEquals(60_000, policy.nextDelay(1, now, 1_000_000, 3_600_000L, random));
    assertEquals(900, policy.nextDelay(1, now, 1000, 5000L, random));
  }

  @Test
  void anAttemptNeverOutlivesTheDeadline() {
    assertEquals(3000, SmsRetryPolicy.attemptTimeout(3000, 0, 10_000));
    assertEquals(700, SmsRetryPolicy.attemptTimeout(3000, 9300, 10_000));
    assertEquals(1, SmsRetryPolicy.attemptTimeout(3000, 10_500, 10_000));
  }
}
