package org.yzt.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulator's memory stays bounded however long a dev run lasts. */
class SmsInboxTest {
  @Test
  void keepsTheNewestTextsPerNumber() {
    SmsInbox inbox = new SmsInbox(3, 100, 1000);
    for (int i = 1; i <= 5; i++) {
      assertTrue(inbox.accept("m" + i, "10699000", "13900000001", "t" + i, i));
    }
    assertEquals(List.of("t5", "t4", "t3"), inbox.messages("13900000001").stream().map(SmsInbox.Sms::text).toList());
    assertEquals(3, inbox.size());
  }

  @Test
  void theRequestAndEndLogsKeepTheLast1000() {
    SmsInbox inbox = new SmsInbox(3, 100, 1000);
    inbox.onRequest("first", "13900000001");
    inbox.onEnd("first");
    for (int i = 1; i < 1000; i++) {
      inbox.onRequest("m" + i, "13900000001");
      inbox.onEnd("m" + i);
    }
    assertEquals(1, inbox.requestsFor("first"), "the 1000th newest request is kept");
    assertEquals(1, inbox.endsFor("first"), "the 1000th newest end is kept");
    inbox.onRequest("last", "13900000001");
    inbox.onEnd("last");
    assertEquals(0, inbox.requestsFor("first"), "the 1001st is let go");
    assertEquals(0, inbox.endsFor("first"));
    assertEquals(1, inbox.endsFor("last"));
    assertEquals(1001, inbox.requestCount(), "the count is of every request");
  }

  @Test
  void dropsTheNumbersWrittenToLeastRecently() {
    SmsInbox inbox = new SmsInbox(3, 2, 1000);
    inbox.accept("a", "s", "13900000001", "t", 1);
    inbox.accept("b", "s", "13900000002", "t", 2);
    inbox.accept("c", "s", "13900000001", "t", 3); // 001 is now the most recent
    inbox.accept("d", "s", "13900000003", "t", 4);
    assertEquals(2, inbox.numbers());
    assertTrue(inbox.messages("13900000002").isEmpty());
    assertEquals(2, inbox.messages("13900000001").size());
    assertEquals(1, inbox.messages("13900000003").size());
  }

  @Test
  void capsTheTotal() {
    SmsInbox inbox = new SmsInbox(3, 1000, 5);
    for (int i = 0; i < 100; i++) {
      inbox.accept("m" + i, "s", String.format("139%08d", i % 10), "t", i);
      assertTrue(inbox.size() <= 5);
    }
  }

  @Test
  void aRepeatedIdIsOneMessage() {
    SmsInbox inbox = new SmsInbox(50, 100, 1000);
    assertTrue(inbox.accept("same", "s", "13900000001", "t", 1));
    assertFalse(inbox.accept("same", "s", "13900000001", "t", 2));
    assertFalse(inbox.accept("same", "s", "13900000002", "other", 3));
    assertEquals(1, inbox.size());
  }

  @Test
  void faultsCountDownAndAreOffByDefault() {
    SmsInbox inbox = new SmsInbox(50, 100, 1000);
    assertNull(inbox.onRequest("x", "13900000001"));
    inbox.failNext(2, 503);
    assertEquals(503, inbox.onRequest("x", "13900000001").status());
    assertEquals(503, inbox.onRequest("x", "13900000001").status());
    assertNull(inbox.onRequest("x", "13900000001"));
    inbox.stallNext(1, 50);
    assertEquals(new SmsInbox.Fault(0, 50), inbox.onRequest("x", "13900000001"));
    assertNull(inbox.onRequest("x", "13900000001"));
    assertEquals(6, inbox.requestsFor("x"));
  }

  @Test
  void aFaultForOneNumberLeavesTheTextsOfOthersAlone() {
    SmsInbox inbox = new SmsInbox(50, 100, 1000);
    inbox.failNextTo("13900000001", 1, 503);
    assertNull(inbox.onRequest("other", "13900000002"), "another number's text passes");
    assertEquals(503, inbox.onRequest("mine", "13900000001").status());
    assertNull(inbox.onRequest("mine", "13900000001"), "one failure only");
  }
}
