package org.yzt.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class PhoneNumberTest {
  @Test
  void theFormsOfSpec26AreOneNumber() {
    PhoneNumber n = PhoneNumber.parse("+86 138-0013-8000");
    assertEquals(new PhoneNumber("13800138000"), n);
    assertEquals(n, PhoneNumber.parse("8613800138000"));
    assertNull(PhoneNumber.parse("12800138000"));
    assertNull(PhoneNumber.parse(null));
    assertThrows(IllegalArgumentException.class, () -> new PhoneNumber("+8613800138000"));
  }

  @Test
  void itNeverPrintsItsDigits() {
    PhoneNumber n = new PhoneNumber("13800138000");
    assertEquals("138****8000", n.toString());
    assertFalse(String.valueOf(java.util.List.of(n)).contains("13800138000"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PhoneNumber("1380013800x"));
    assertFalse(e.getMessage().contains("1380013800"));
  }
}
