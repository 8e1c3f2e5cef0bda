package org.yzt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.yzt.page.PageDriver.active;
import static org.yzt.page.PageDriver.consent;
import static org.yzt.page.PageDriver.driver;
import static org.yzt.page.PageDriver.drainLogs;
import static org.yzt.page.PageDriver.imageLoaded;
import static org.yzt.page.PageDriver.open;
import static org.yzt.page.PageDriver.requested;
import static org.yzt.page.PageDriver.text;
import static org.yzt.page.PageDriver.type;
import static org.yzt.page.PageDriver.waitForCaptcha;
import static org.yzt.page.PageDriver.waitUntil;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.yzt.testing.Numbers;
import org.yzt.testing.TestService;

/**
 * SPEC §7: the captcha's refresh control ("换一张"), pressed in a real browser (Debian's Chromium,
 * headless), shows a new image from a new captcha, clears what was typed, and the new captcha is the
 * one the page then sends: a code is texted with it. Pressed with the mouse and with the keyboard.
 */
class CaptchaRefreshBrowserTest {
  private static final Pattern CODE = Pattern.compile("验证码为(\\d{6})");

  @RegisterExtension
  static final BrowserExtension app = new BrowserExtension();

  /** Captchas the browser asked the service for so far. */
  private static long captchaRequests() {
    drainLogs();
    return requested.stream().filter(u -> u.endsWith("/api/v1/captcha")).count();
  }

  @Test
  void pressingRefreshShowsANewCaptchaThatThePageThenUses() {
    open(1280);
    WebElement img = waitForCaptcha();
    String first = img.getAttribute("src");
    long asked = captchaRequests();
    type("captcha", "ABCD");

    driver.findElement(By.id("captcha-refresh")).click();
    waitUntil("a new captcha image after 换一张", () -> !first.equals(img.getAttribute("src")) && imageLoaded(img));
    assertEquals(asked + 1, captchaRequests(), "one new captcha asked for");
    assertEquals("", driver.findElement(By.id("captcha")).getAttribute("value"), "what was typed is cleared");
    waitUntil("the focus back in the captcha field", () -> "captcha".equals(active().getAttribute("id")));

    // by keyboard: the control takes the focus and Enter presses it
    String second = img.getAttribute("src");
    WebElement refresh = driver.findElement(By.id("captcha-refresh"));
    refresh.sendKeys(Keys.ENTER);
    waitUntil("a new captcha image after Enter on 换一张", () -> !second.equals(img.getAttribute("src")) && imageLoaded(img));
    assertNotEquals(first, img.getAttribute("src"));
    assertEquals(asked + 2, captchaRequests(), "one more captcha asked for");

    // the captcha now shown is live and is the one the page sends
    String phone = Numbers.fresh();
    type("phone", phone);
    type("idLast6", "12345X");
    type("captcha", TestService.CAPTCHA);
    consent();
    driver.findElement(By.id("send-code")).click();
    waitUntil("the code in the inbox", () -> CODE.matcher(text("#inbox-list")).find());
    assertEquals("", text("#captcha-error"), "no captcha error");
  }
}
