package org.yzt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.page.PageDriver.*;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.yzt.testing.Numbers;
import org.yzt.testing.TestService;

/**
 * The three pages of SPEC §2.5 and §7 for everyone, in Debian's Chromium: the query home page, the
 * phone-card page's form (SPEC §13), 长辈模式 measured in the browser (every visible text at least
 * 18 px with line height 1.5, targets 44×44 px, the captcha twice as wide, remembered, and undone),
 * and axe-core 4.14 clean on all three pages in both modes, before and after errors, at 1280 and
 * 375 px, with no console error. Screenshots of both modes go to target/screenshots/. One browser for
 * the class, which forgets the remembered mode before each test ({@link BrowserExtension}).
 */
class PagesForEveryoneBrowserTest {
  static final List<String> PAGES = List.of("/", "/accounts", "/cards");
  /** Six digits, so that the spoken captcha says the answer every captcha takes (images then show other characters). */
  static final String SPOKEN = "246824";
  private static final Pattern CODE = Pattern.compile("验证码为(\\d{6})，5分钟内有效，仅用于电话卡查询");

  @RegisterExtension
  static final BrowserExtension app = new BrowserExtension(new JsonObject().put("captcha", new JsonObject().put("fixedAnswer", SPOKEN)));

  @Test
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

  @Test
  void theSpokenCaptchaIsBesideEveryImageReachableByKeyboardAndNewEachTime() {
    for (String page : List.of("/accounts", "/cards")) {
      openPage(page + "?mode=normal", 375);
      waitForCaptcha();
      assertFalse(driver.findElement(By.id("captcha-audio-box")).isDisplayed(), "the image is the default");
      // by keyboard: Tab from the image's refresh button reaches 听语音验证码, Enter asks for one
      driver.findElement(By.id("captcha-refresh")).sendKeys(Keys.TAB);
      assertEquals("captcha-listen", active().getAttribute("id"));
      assertEquals("听语音验证码", active().getText());
      active().sendKeys(Keys.ENTER);
      WebElement audio = driver.findElement(By.id("captcha-audio"));
      waitUntil("the spoken captcha", () -> String.valueOf(audio.getAttribute("src")).startsWith("data:audio/wav;base64,"));
      waitUntil("the player has the focus", () -> "captcha-audio".equals(active().getAttribute("id")));
      assertTrue(audio.isDisplayed());
      assertEquals("true", String.valueOf(js("return arguments[0].controls;", audio)), "a native player with controls");
      assertTrue(audio.getAttribute("aria-label").contains("6位数字"), audio.getAttribute("aria-label"));
      waitUntil("the sound loaded", () -> ((Number) js("return arguments[0].readyState;", audio)).intValue() >= 1);
      double seconds = ((Number) js("return arguments[0].duration;", audio)).doubleValue();
      assertTrue(seconds > 2 && seconds <= 8, "a spoken captcha of " + seconds + " s");
      assertEquals("语音验证码", text("#captcha-label"));
      assertEquals("6", driver.findElement(By.id("captcha")).getAttribute("maxlength"));
      String first = audio.getAttribute("src");
      driver.findElement(By.id("captcha-listen")).click();
      waitUntil("a new spoken captcha", () -> !first.equals(audio.getAttribute("src"))
          && String.valueOf(audio.getAttribute("src")).startsWith("data:audio/wav;base64,"));
      screenshot(page.substring(1) + "-audio-375.png", 375);
      // 换一张 goes back to the image
      driver.findElement(By.id("captcha-refresh")).click();
      waitUntil("the image again", () -> !driver.findElement(By.id("captcha-audio-box")).isDisplayed());
      assertEquals("图形验证码", text("#captcha-label"));
      assertEquals("4", driver.findElement(By.id("captcha")).getAttribute("maxlength"));
    }
  }

  /**
   * 长辈模式 from the start to the result text: /cards with the spoken captcha, the code of purpose
   * cards from the dev inbox, the acceptance notice, the status line to DONE, and the phone-card
   * result text in the inbox (SPEC §6, §13).
   */
  @Test
  void anElderWalksTheCardQueryWithTheSpokenCaptchaToTheResultText() {
    console();
    String phone = Numbers.fresh();
    // a fresh ID number each run (its own 24-hour window), born 1975-06-15
    String idNumber = withCheck("33010619750615" + String.format("%03d", Math.floorMod(System.nanoTime(), 1000)));
    openPage("/cards?mode=elder", 375);
    waitForCaptcha();
    type("phone", phone);
    type("name", "王　小明");
    type("idNumber", idNumber.toLowerCase());
    driver.findElement(By.id("captcha-listen")).click();
    waitUntil("the spoken captcha", () -> driver.findElement(By.id("captcha-audio-box")).isDisplayed());
    type("captcha", SPOKEN);
    consent();
    driver.findElement(By.id("send-code")).click();
    waitUntil("the code of purpose cards in the inbox", () -> CODE.matcher(text("#inbox-list")).find());
    Matcher m = CODE.matcher(text("#inbox-list"));
    assertTrue(m.find());
    type("smsCode", m.group(1));
    driver.findElement(By.id("submit")).click();
    WebElement notice = driver.findElement(By.id("notice"));
    waitUntil("the acceptance notice", notice::isDisplayed);
    assertTrue(notice.getText().contains("10699000"), notice.getText());
    WebElement status = driver.findElement(By.id("status"));
    waitUntil(Duration.ofSeconds(90), "the status DONE (last seen: " + status.getAttribute("data-status") + ")",
        () -> "DONE".equals(status.getAttribute("data-status")));
    waitUntil("the result text in the inbox", () -> text("#inbox-list").contains("【一证通查】您名下登记的电话卡：中国移动"));
    String result = text("#inbox-list");
    assertTrue(result.contains("中国联通") && result.contains("中国电信") && result.contains("中国广电") && result.contains("共"),
        result);
    assertEquals(List.of(), smallTexts(), "texts under 18 px after the walk");
    screenshot("cards-done-elder-375.png", 375);
    assertNoConsoleErrors("the card query walked in elder mode");
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
