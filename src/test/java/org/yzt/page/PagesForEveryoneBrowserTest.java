package org.yzt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.page.PageDriver.*;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/**
 * The three pages of SPEC §2.5 and §7 for everyone, in Debian's Chromium: the query home page, the
 * phone-card page's form (SPEC §13), 长辈模式 measured in the browser (every visible text at least
 * 18 px with line height 1.5, targets 44×44 px, the captcha twice as wide, remembered, and undone),
 * and axe-core 4.14 clean on all three pages in both modes, before and after errors, at 1280 and
 * 375 px, with no console error. Screenshots of both modes go to target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesForEveryoneBrowserTest {
  static final List<String> PAGES = List.of("/", "/accounts", "/cards");

  static RedisServer redis;
  static TestService service;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.startNew();
    service = TestService.start(redis);
    launch("http://127.0.0.1:" + service.httpPort());
  }

  @AfterAll
  static void stop() throws Exception {
    quit();
    if (service != null) {
      service.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void collectBrowserLogs() {
    if (driver != null) {
      drainLogs();
    }
  }

  @Test
  @Order(1)
  void theHomePageOffersBothQueriesWithALineEachAndTheGuide() {
    console();
    openPage("/?mode=normal", 1280);
    assertEquals("一证通查 · 查询首页", driver.getTitle());
    WebElement cards = driver.findElement(By.id("choice-cards"));
    WebElement accounts = driver.findElement(By.id("choice-accounts"));
    assertTrue(cards.getText().contains("移动电话卡") && cards.getText().contains("电话卡数量"), cards.getText());
    assertTrue(accounts.getText().contains("互联网账号") && accounts.getText().contains("账号"), accounts.getText());
    assertTrue(cards.getAttribute("href").endsWith("/cards"));
    assertTrue(accounts.getAttribute("href").endsWith("/accounts"));
    String guide = text("#guide");
    assertTrue(guide.contains("使用说明") && guide.contains("24小时") && guide.contains("10699000"), guide);
    cards.click();
    waitUntil("the phone-card page", () -> driver.getCurrentUrl().endsWith("/cards"));
    waitForCaptcha();
    driver.navigate().back();
    waitUntil("the home page again", () -> driver.getCurrentUrl().endsWith("/?mode=normal"));
    driver.findElement(By.id("choice-accounts")).click();
    waitUntil("the internet-account page", () -> driver.getCurrentUrl().endsWith("/accounts"));
    waitForCaptcha();
    assertEquals("查询首页", driver.findElement(By.cssSelector(".crumbs a")).getText());
    assertNoConsoleErrors("the home page and both query pages");
  }

  @Test
  @Order(2)
  void theCardPageChecksNameAndIdNumberAsTheServiceDoes() {
    openPage("/cards", 375);
    waitForCaptcha();
    for (String id : List.of("phone", "name", "idNumber", "captcha", "smsCode")) {
      WebElement label = driver.findElement(By.cssSelector("label[for='" + id + "']"));
      assertTrue(label.isDisplayed() && !label.getText().isBlank(), "input " + id + " has a visible label");
    }
    assertTrue(driver.findElements(By.id("idLast6")).isEmpty(), "no ID-last-six field on /cards");
    consent();
    type("phone", Numbers.fresh());
    type("name", "张");
    type("idNumber", "110105491231002");
    type("smsCode", "123456");
    driver.findElement(By.id("submit")).click();
    waitUntil("the name message", () -> text("#name-error").contains("2至30个字"));
    assertTrue(text("#idNumber-error").contains("不支持15位"), text("#idNumber-error"));
    assertEquals("name", active().getAttribute("id"));
    assertEquals("true", driver.findElement(By.id("name")).getAttribute("aria-invalid"));

    // a wrong check character, then a birth date that does not exist (with its check character right)
    type("name", "阿卜杜拉・买买提");
    type("idNumber", "110105194912310021");
    driver.findElement(By.id("submit")).click();
    waitUntil("the check-character message", () -> text("#idNumber-error").contains("校验位"));
    assertTrue(text("#name-error").isEmpty(), "a name with a middle dot (U+30FB read as ·) passes: " + text("#name-error"));
    type("idNumber", withCheck("11010519490231002"));
    driver.findElement(By.id("submit")).click();
    waitUntil("the birth-date message", () -> text("#idNumber-error").contains("出生日期"));
    type("idNumber", "11010519491231002x");
    assertEquals("11010519491231002X", driver.findElement(By.id("idNumber")).getAttribute("value"), "x is written X");
    type("name", "Anna  Maria");
    driver.findElement(By.id("submit")).click();
    waitUntil("the ID message gone", () -> text("#idNumber-error").isEmpty());
    assertTrue(text("#name-error").isEmpty(), "inner spaces are made one: " + text("#name-error"));
    screenshot("cards-errors-375.png", 375);

    // the notice says what this query processes and that only carriers receive the name and ID number
    String notice = text("#privacy");
    for (String must : List.of("手机号码、姓名和身份证号码", "IP地址", "只有运营商收到您的姓名和身份证号码", "号码所属运营商", "各运营商")) {
      assertTrue(notice.contains(must), "the notice says " + must + ": " + notice);
    }
    assertTrue(driver.findElement(By.id("inbox")).isDisplayed() || waitForInbox(), "the dev inbox panel on /cards");
  }

  @Test
  @Order(3)
  void elderModeMakesEveryTextAndTargetLargeAndIsRememberedAndUndone() {
    for (int width : new int[] {375, 1280}) {
      openPage("/cards?mode=normal", width);
      WebElement img = waitForCaptcha();
      double normalWidth = img.getRect().getWidth();
      double normalFont = fontSize("body");
      assertTrue(driver.findElement(By.id("guide")).getAttribute("open") != null, "the guide is open on the normal page");
      screenshot("cards-normal-" + width + ".png", width);

      WebElement toggle = driver.findElement(By.id("mode-switch"));
      assertEquals("false", toggle.getAttribute("aria-pressed"));
      toggle.click();
      waitUntil("elder mode", () -> "true".equals(driver.findElement(By.id("mode-switch")).getAttribute("aria-pressed")));
      assertTrue(text("#mode-switch").contains("已开启"), "the state in words: " + text("#mode-switch"));
      assertEquals(List.of(), smallTexts(), "texts under 18 px or line height under 1.5 at " + width + " px");
      assertEquals(List.of(), smallTargets(), "targets under 44x44 px at " + width + " px");
      double elderWidth = driver.findElement(By.id("captcha-img")).getRect().getWidth();
      assertTrue(elderWidth >= 2 * normalWidth, "captcha " + elderWidth + " px, at least twice " + normalWidth);
      assertTrue(driver.findElement(By.id("guide")).getAttribute("open") == null, "the long guide is folded");
      assertTrue(text("#guide summary").contains("使用说明"));
      assertNoHorizontalScroll(width);
      screenshot("cards-elder-" + width + ".png", width);

      // remembered: the other pages open in elder mode
      for (String page : List.of("/", "/accounts")) {
        openPage(page, width);
        assertTrue(isElder(), page + " remembers elder mode");
        if (!"/".equals(page)) {
          waitForCaptcha();
        }
        assertEquals(List.of(), smallTexts(), "texts under 18 px on " + page + " at " + width + " px");
        assertEquals(List.of(), smallTargets(), "targets under 44x44 px on " + page + " at " + width + " px");
        assertNoHorizontalScroll(width);
        screenshot(("/".equals(page) ? "home" : "accounts") + "-elder-" + width + ".png", width);
      }
      // and undone: the switch restores the normal page
      driver.findElement(By.id("mode-switch")).click();
      waitUntil("the normal page", () -> !isElder());
      assertEquals(normalFont, fontSize("body"), 0.01);
      assertEquals(normalWidth, driver.findElement(By.id("captcha-img")).getRect().getWidth(), 0.5);
      assertTrue(driver.findElement(By.id("guide")).getAttribute("open") != null, "the guide is open again");
      screenshot("accounts-normal-" + width + ".png", width);
      openPage("/", width);
      assertFalse(isElder(), "the normal page is remembered too");
      screenshot("home-normal-" + width + ".png", width);
    }
    openPage("/?mode=elder", 375);
    assertTrue(isElder(), "?mode=elder turns it on");
    openPage("/?mode=normal", 375);
    assertFalse(isElder());
  }

  @Test
  @Order(4)
  void axeFindsNothingOnAnyPageInEitherModeBeforeOrAfterErrors() {
    console();
    for (String mode : List.of("normal", "elder")) {
      for (int width : new int[] {1280, 375}) {
        for (String page : PAGES) {
          openPage(page + "?mode=" + mode, width);
          String what = page + " in " + mode + " mode at " + width + " px";
          if (!"/".equals(page)) {
            waitForCaptcha();
            waitUntil("the operator's contact", () -> !text("#operator-contact").contains("正在加载"));
          }
          checkAxe(what, mode);
          assertNoConsoleErrors("a visit of " + what);
          if ("/".equals(page)) {
            continue;
          }
          // every kind of message at once: the consent box, the fields, then a server answer
          driver.findElement(By.id("send-code")).click();
          waitUntil("the consent message", () -> !text("#consent-error").isEmpty());
          consent();
          type("phone", "12345");
          type("smsCode", "12");
          if ("/cards".equals(page)) {
            type("name", "1");
            type("idNumber", "1234");
          } else {
            type("idLast6", "1234Y");
          }
          driver.findElement(By.id("submit")).click();
          waitUntil("the field messages", () -> !text("#smsCode-error").isEmpty());
          type("phone", "14012345678");
          type("captcha", TestService.CAPTCHA);
          driver.findElement(By.id("send-code")).click();
          waitUntil("the server's message", () -> text("#phone-error").contains("暂不支持该号段"));
          checkAxe(what + " with error messages", mode);
          // the server's refusals above are logged by the browser as failed requests, by design
          console();
          if (width == 375) {
            screenshot(page.substring(1) + "-errors-" + mode + "-375.png", 375);
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static void checkAxe(String what, String mode) {
    assertNoAxeViolations(what);
    if ("elder".equals(mode)) {
      assertEnhancedContrast(what);
    }
  }

  private static void openPage(String path, int width) {
    open(path, width);
  }

  private static boolean waitForInbox() {
    waitUntil("the dev inbox panel", () -> driver.findElement(By.id("inbox")).isDisplayed());
    return true;
  }

  private static boolean isElder() {
    return Boolean.TRUE.equals(js("return document.documentElement.classList.contains('elder');"));
  }

  private static double fontSize(String css) {
    return ((Number) js("return parseFloat(getComputedStyle(document.querySelector(arguments[0])).fontSize);", css))
        .doubleValue();
  }

  private static Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  private static void assertNoHorizontalScroll(int width) {
    Number overflow = (Number) js("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    assertTrue(overflow.intValue() <= 0, "no horizontal scrolling at " + width + " px: " + overflow + " px too wide");
  }

  /** Every rendered text, and every field and button, under 18 CSS px or with a line height under 1.5. */
  @SuppressWarnings("unchecked")
  private static List<String> smallTexts() {
    return (List<String>) js("""
        var bad = [];
        function shown(el) {
          if (el.closest('.visually-hidden, script, style, noscript')) { return false; }
          var r = el.getBoundingClientRect();
          var cs = getComputedStyle(el);
          return r.width > 1 && r.height > 1 && cs.visibility !== 'hidden';
        }
        function check(el, what) {
          var cs = getComputedStyle(el);
          var size = parseFloat(cs.fontSize);
          var lh = cs.lineHeight === 'normal' ? 1.2 : parseFloat(cs.lineHeight) / size;
          if (size < 18 || lh < 1.5) {
            bad.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + el.className : '')
              + ' ' + size + 'px/' + lh.toFixed(2) + ': ' + what.slice(0, 24));
          }
        }
        var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
          var t = walker.currentNode;
          if (!t.nodeValue.trim() || !shown(t.parentElement)) { continue; }
          check(t.parentElement, t.nodeValue.trim());
        }
        document.querySelectorAll('input, button, select, textarea').forEach(function (el) {
          if (shown(el) && el.type !== 'checkbox') { check(el, el.id || el.name || el.type); }
        });
        return bad;
        """);
  }

  /**
   * Targets under 44×44 CSS px: buttons, fields, the consent box, the fold's heading, audio players,
   * and every link that stands on its own (links inside a sentence are exempt, as in WCAG 2.5.5).
   */
  @SuppressWarnings("unchecked")
  private static List<String> smallTargets() {
    return (List<String>) js("""
        var bad = [];
        document.querySelectorAll('a, button, input, select, textarea, summary, audio').forEach(function (el) {
          if (el.closest('.visually-hidden') || el.classList.contains('skip-link')) { return; }
          var r = el.getBoundingClientRect();
          if (r.width < 1 || r.height < 1) { return; }
          if (el.tagName === 'A' && el.parentElement.textContent.trim() !== el.textContent.trim()) { return; }
          if (r.width < 44 || r.height < 44) {
            bad.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.width) + 'x'
              + Math.round(r.height) + ': ' + (el.textContent || el.type || '').trim().slice(0, 20));
          }
        });
        return bad;
        """);
  }

  /** An ID number's first 17 characters with its GB 11643 check character. */
  static String withCheck(String first17) {
    int[] weights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    int sum = 0;
    for (int i = 0; i < 17; i++) {
      sum += (first17.charAt(i) - '0') * weights[i];
    }
    return first17 + "10X98765432".charAt(sum % 11);
  }
}
