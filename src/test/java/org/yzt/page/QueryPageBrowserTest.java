package org.yzt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.page.PageDriver.*;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.yzt.testing.Api;
import org.yzt.testing.Numbers;
import org.yzt.testing.TestService;

/**
 * The query page of SPEC §7 in a real browser: Debian's Chromium, headless, driven through
 * /usr/bin/chromedriver against the whole service in the dev profile (captcha in fixed mode). A
 * person's walk from the empty form to the result text in the simulator inbox, the messages of a
 * wrong captcha, a bad number and the 24-hour rule, the consent box and the personal-information
 * notice, no console error on a normal visit, screenshots at 320, 375 and 1280 px, and a record of
 * every request the browser made: none may leave the service (a test of its own, with a visit of its
 * own, and again after all the tests, over every request of each). One browser for the class, which
 * forgets what the pages stored before each test ({@link BrowserExtension}); each test opens its page.
 */
class QueryPageBrowserTest {
  private static final Pattern CODE = Pattern.compile("验证码为(\\d{6})");

  @RegisterExtension
  static final BrowserExtension app = new BrowserExtension();

  /** Every request of every test, in whatever order they ran (before the extension quits the browser). */
  @AfterAll
  static void nothingAskedOfAnotherHostByAnyTest() {
    drainLogs();
    assertNoRequestLeftTheService();
  }

  // ------------------------------------------------------------------ tests

  @Test
  void thePageIsServedWithTheSecurityHeadersAndNoInlineCode() {
    Api api = app.api();
    for (String path : List.of("/", "/accounts", "/cards", "/favicon.ico", "/assets/app.js", "/assets/mode.js", "/assets/app.css")) {
      HttpResponse<Buffer> r = api.get(path);
      assertEquals(200, r.statusCode(), path);
      String csp = r.getHeader("Content-Security-Policy");
      assertNotNull(csp, path);
      assertTrue(csp.contains("frame-ancestors 'none'"), csp);
      assertFalse(csp.contains("unsafe-inline"), csp);
      assertEquals("nosniff", r.getHeader("X-Content-Type-Options"), path);
      assertEquals("no-referrer", r.getHeader("Referrer-Policy"), path);
    }
    for (String page : List.of("/", "/accounts", "/cards")) {
      assertPageHasNoInlineCode(api, page);
    }
  }

  private static void assertPageHasNoInlineCode(Api api, String page) {
    assertEquals("no-store", api.get(page).getHeader("Cache-Control"));
    String html = api.get(page).bodyAsString();
    assertTrue(api.get(page).getHeader("Content-Type").startsWith("text/html"));
    // every script has a src on this origin, and there is no inline style or handler anywhere
    Matcher scripts = Pattern.compile("<script([^>]*)>", Pattern.CASE_INSENSITIVE).matcher(html);
    while (scripts.find()) {
      assertTrue(scripts.group(1).matches(".*\\bsrc=\"/assets/[a-z0-9.-]+\".*"), scripts.group());
    }
    assertFalse(Pattern.compile("<style|\\sstyle=|\\son[a-z]+=|javascript:", Pattern.CASE_INSENSITIVE).matcher(html).find());
    assertFalse(Pattern.compile("(src|href)=\"(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(),
        "the page must not load anything from another host");
  }

  @Test
  void aPersonWalksTheWholeFlowByKeyboardAndReadsTheResultInTheInbox() throws Exception {
    String phone = Numbers.fresh();
    console();
    open(1280);
    WebElement img = waitForCaptcha();
    assertTrue(img.getAttribute("src").startsWith("data:image/png;base64,"));
    assertEquals("zh-CN", driver.findElement(By.tagName("html")).getAttribute("lang"));
    for (String id : List.of("phone", "idLast6", "captcha", "smsCode")) {
      WebElement label = driver.findElement(By.cssSelector("label[for='" + id + "']"));
      assertTrue(label.isDisplayed() && !label.getText().isBlank(), "input " + id + " has a visible label");
    }
    // the hotline table and the 解绑与明细查询 links come from /api/v1/enterprises
    JsonArray enterprises = app.api().get("/api/v1/enterprises").bodyAsJsonObject().getJsonArray("enterprises");
    waitUntil("the hotline table", () -> driver.findElements(By.cssSelector("#hotline-rows tr[data-enterprise]")).size()
        == enterprises.size());
    for (int i = 0; i < enterprises.size(); i++) {
      JsonObject e = enterprises.getJsonObject(i);
      WebElement row = driver.findElement(By.cssSelector("#hotline-rows tr[data-enterprise='" + e.getString("id") + "']"));
      assertTrue(row.getText().contains(e.getString("name")), row.getText());
      assertTrue(row.getText().contains(e.getString("hotline")), row.getText());
      assertEquals("tel:" + e.getString("hotline"), row.findElement(By.cssSelector("a.tel")).getAttribute("href"));
      WebElement guide = row.findElement(By.cssSelector("a[target='_blank']"));
      assertTrue(guide.getAttribute("href").startsWith(e.getString("guideUrl")), guide.getAttribute("href"));
      assertTrue(guide.getAttribute("rel").contains("noopener"));
    }
    assertTrue(text("#hotlines").contains("以各企业官方公告为准"));
    String guide = text("#guide");
    for (String must : List.of("24小时", "销号", "解绑与明细查询", "10699000")) {
      assertTrue(guide.contains(must), "the guide speaks of " + must);
    }
    WebElement inbox = driver.findElement(By.id("inbox"));
    waitUntil("the dev inbox panel", inbox::isDisplayed);
    assertTrue(inbox.getText().contains("模拟短信收件箱"));
    screenshot("page-1280.png", 1280);
    screenshot("page-375.png", 375);
    screenshot("page-320.png", 320);

    // by keyboard: skip link, then Tab from field to field
    open(1280);
    waitForCaptcha();
    driver.findElement(By.tagName("body")).sendKeys(Keys.TAB);
    assertEquals("跳到查询表单", active().getText());
    active().sendKeys(Keys.ENTER);
    active().sendKeys(Keys.TAB);
    assertEquals("phone", active().getAttribute("id"));
    active().sendKeys(phone.substring(0, 3) + " " + phone.substring(3, 7) + " " + phone.substring(7), Keys.TAB);
    assertEquals("idLast6", active().getAttribute("id"));
    active().sendKeys("12345x", Keys.TAB);
    assertEquals("12345X", driver.findElement(By.id("idLast6")).getAttribute("value"));
    assertEquals("captcha", active().getAttribute("id"));
    active().sendKeys(TestService.CAPTCHA.toLowerCase(), Keys.TAB);
    assertEquals("captcha-refresh", active().getAttribute("id"));
    active().sendKeys(Keys.TAB);
    // the spoken captcha beside the image (SPEC §7): reached by keyboard, not taken here
    assertEquals("captcha-listen", active().getAttribute("id"));
    active().sendKeys(Keys.TAB);
    assertEquals("consent", active().getAttribute("id"));
    active().sendKeys(Keys.SPACE);
    assertTrue(active().isSelected(), "the consent box ticks with the space bar");
    active().sendKeys(Keys.TAB);
    assertEquals("privacy-link", active().getAttribute("id"));
    active().sendKeys(Keys.TAB);
    assertEquals("smsCode", active().getAttribute("id"));
    active().sendKeys(Keys.TAB);
    assertEquals("send-code", active().getAttribute("id"));
    active().sendKeys(Keys.ENTER);

    // the code is sent; the button counts down from resendAfterSeconds
    waitUntil("the code sent notice", () -> text("#send-code-status").contains("验证码已发送"));
    assertTrue(text("#send-code-status").contains(phone.substring(0, 3) + "****" + phone.substring(7)));
    WebElement send = driver.findElement(By.id("send-code"));
    assertFalse(send.isEnabled());
    Matcher left = Pattern.compile("(\\d+)秒后可重新获取").matcher(send.getText());
    assertTrue(left.find(), send.getText());
    assertTrue(Integer.parseInt(left.group(1)) > 50 && Integer.parseInt(left.group(1)) <= 60, send.getText());
    assertEquals("smsCode", active().getAttribute("id"));

    // the code, read in the inbox panel as a newcomer would
    waitUntil("the code in the inbox", () -> CODE.matcher(text("#inbox-list")).find());
    Matcher m = CODE.matcher(text("#inbox-list"));
    assertTrue(m.find());
    assertTrue(text("#inbox-list").contains("10699000"));
    active().sendKeys(m.group(1), Keys.ENTER);

    // the acceptance notice: sender number and the deadline in local time
    WebElement notice = driver.findElement(By.id("notice"));
    waitUntil("the acceptance notice", notice::isDisplayed);
    assertTrue(notice.getText().contains("10699000"), notice.getText());
    WebElement deadline = driver.findElement(By.id("notice-deadline"));
    Instant due = Instant.parse(deadline.getAttribute("datetime"));
    assertTrue(Math.abs(Duration.between(Instant.now(), due).toHours() - 48) <= 1, due.toString());
    String shown = deadline.getText();
    assertTrue(shown.matches("\\d{4}年\\d{1,2}月\\d{1,2}日\\s*\\d{2}:\\d{2}"), "deadline shown as " + shown);
    Object localDay = ((JavascriptExecutor) driver).executeScript(
        "var d = new Date(arguments[0]); return d.getFullYear() + '年' + (d.getMonth() + 1) + '月' + d.getDate() + '日';",
        due.toString());
    assertTrue(shown.startsWith(String.valueOf(localDay)), shown + " is in the browser's local time");
    assertTrue(driver.findElement(By.id("smsCode")).getAttribute("value").isEmpty());
    screenshot("accepted-1280.png", 1280);
    screenshot("accepted-320.png", 320);

    // the status line follows the query to DONE, and the result text arrives in the inbox
    WebElement status = driver.findElement(By.id("status"));
    waitUntil(Duration.ofSeconds(90), "the status DONE (last seen: " + status.getAttribute("data-status") + ")",
        () -> "DONE".equals(status.getAttribute("data-status")));
    assertTrue(status.getText().contains("查询完成"), status.getText());
    assertEquals("查询已完成", text("#notice-title"));
    String masked = phone.substring(0, 3) + "****" + phone.substring(7);
    waitUntil("the result text in the inbox", () -> text("#inbox-list").contains("【一证通查】您的号码" + masked + "关联的互联网账号"));
    collectResourceTiming();
    screenshot("done-1280.png", 1280);
    screenshot("done-375.png", 375);
    screenshot("done-320.png", 320);
    assertNoConsoleErrors("the whole flow to DONE");
  }

  @Test
  void aWrongCaptchaIsShownNextToTheCaptchaWithAFreshImage() {
    open(320);
    WebElement img = waitForCaptcha();
    String before = img.getAttribute("src");
    type("phone", Numbers.fresh());
    type("captcha", "ZZZZ");
    consent();
    driver.findElement(By.id("send-code")).click();
    waitUntil("the captcha message", () -> text("#captcha-error").contains("图形验证码错误"));
    assertEquals("true", driver.findElement(By.id("captcha")).getAttribute("aria-invalid"));
    assertTrue(driver.findElement(By.id("captcha")).getAttribute("aria-describedby").contains("captcha-error"));
    assertEquals("polite", driver.findElement(By.id("captcha-error")).getAttribute("aria-live"));
    assertEquals("captcha", active().getAttribute("id"));
    waitUntil("a fresh captcha image", () -> !before.equals(img.getAttribute("src")) && imageLoaded(img));
    assertTrue(driver.findElement(By.id("send-code")).isEnabled());
    assertTrue(text("#phone-error").isEmpty());
    screenshot("captcha-error-320.png", 320);
    collectResourceTiming();
  }

  @Test
  void anInvalidNumberIsShownNextToTheNumber() {
    open(320);
    waitForCaptcha();
    type("phone", "12345");
    type("captcha", TestService.CAPTCHA);
    consent();
    driver.findElement(By.id("send-code")).click();
    waitUntil("the number message", () -> text("#phone-error").contains("请输入正确的11位中国大陆手机号码"));
    assertEquals("true", driver.findElement(By.id("phone")).getAttribute("aria-invalid"));
    assertEquals("phone", active().getAttribute("id"));

    // a well-formed number that no carrier serves: the server's UNSUPPORTED_NUMBER
    type("phone", "14012345678");
    waitUntil("the stale message cleared", () -> text("#phone-error").isEmpty());
    driver.findElement(By.id("send-code")).click();
    waitUntil("the unsupported-number message", () -> text("#phone-error").contains("暂不支持该号段"));

    // the other fields at submission: ID digits and a code that is not six digits
    type("phone", Numbers.fresh());
    type("idLast6", "1234Y");
    type("smsCode", "12");
    driver.findElement(By.id("submit")).click();
    waitUntil("the ID message", () -> text("#idLast6-error").contains("身份证号码后六位"));
    assertTrue(text("#smsCode-error").contains("6位数字"), text("#smsCode-error"));
    assertEquals("idLast6", active().getAttribute("id"));
    collectResourceTiming();
  }

  @Test
  void aWrongCodeCountsDownItsAttempts() {
    String phone = Numbers.fresh();
    String code = askForACodeAndReadIt(phone, 1280);
    type("smsCode", code.equals("000000") ? "111111" : "000000");
    driver.findElement(By.id("submit")).click();
    waitUntil("the wrong-code message", () -> text("#smsCode-error").contains("短信验证码错误，还可尝试4次"));
    assertTrue(driver.findElement(By.id("notice")).getAttribute("hidden") != null);
  }

  @Test
  void aQueryThatFailsTheRealNameCheckSaysSoAndTheFailureTextArrives() {
    // the simulators' demo subscriber whose ID digits never match (conf/sim-subscribers.json)
    String phone = "13900139000";
    String code = askForACodeAndReadIt(phone, 320);
    type("smsCode", code);
    driver.findElement(By.id("submit")).click();
    WebElement status = driver.findElement(By.id("status"));
    waitUntil(Duration.ofSeconds(60), "the status FAILED (last seen: " + status.getAttribute("data-status") + ")",
        () -> "FAILED".equals(status.getAttribute("data-status")));
    assertEquals("查询未成功", text("#notice-title"));
    assertTrue(status.getText().contains("24小时后重新查询"), status.getText());
    waitUntil("the failure text in the inbox", () -> text("#inbox-list").contains("【一证通查】您的查询未通过身份核验"));
    screenshot("failed-320.png", 320);
    collectResourceTiming();
  }

  @Test
  void theTwentyFourHourRuleIsShownWithTheWait() {
    String phone = Numbers.fresh();
    Api api = app.api();
    assertEquals(202, api.submit(phone, "12345X", api.codeFor(phone)).statusCode());

    open(320);
    waitForCaptcha();
    type("phone", phone);
    type("captcha", TestService.CAPTCHA);
    consent();
    driver.findElement(By.id("send-code")).click();
    waitUntil("the 24-hour message", () -> text("#phone-error").contains("24小时内已查询过"));
    String message = text("#phone-error");
    // the wait comes from Retry-After (just under 24 h), with the local time it ends
    assertTrue(message.matches(".*请于\\d{4}年\\d{1,2}月\\d{1,2}日\\s*\\d{2}:\\d{2}后再试（约(23小时5\\d分钟|24小时)后）.*"), message);
    assertEquals("true", driver.findElement(By.id("phone")).getAttribute("aria-invalid"));
    assertTrue(driver.findElement(By.id("send-code")).isEnabled());
    screenshot("query-limit-320.png", 320);
    collectResourceTiming();
  }

  @Test
  void thePageReflowsAt320And375PxAndAt200PercentZoom() {
    for (int[] size : new int[][] {{320, 1}, {375, 1}, {640, 2}}) {
      open(size[0], size[1]);
      waitForCaptcha();
      waitUntil("the hotline table", () -> !driver.findElements(By.cssSelector("#hotline-rows tr[data-enterprise]")).isEmpty());
      Number overflow = (Number) ((JavascriptExecutor) driver).executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
      assertTrue(overflow.intValue() <= 0, "no horizontal scrolling at " + size[0] + " CSS px: " + overflow + " px too wide");
    }
    screenshot("zoom200-1280.png", 640, 2);
    collectResourceTiming();
  }

  @Test
  void aNormalVisitLogsNoConsoleErrorAndFindsTheInboxWithoutAFailingRequest() {
    console();
    int before = requested.size();
    open(375);
    waitForCaptcha();
    waitUntil("the hotline table", () -> !driver.findElements(By.cssSelector("#hotline-rows tr[data-enterprise]")).isEmpty());
    waitUntil("the dev inbox panel", () -> driver.findElement(By.id("inbox")).isDisplayed());
    waitUntil("the operator's contact", () -> !text("#operator-contact").contains("正在加载"));
    type("phone", Numbers.fresh());
    waitUntil("the inbox for that number", () -> text("#inbox-for").contains("暂无"));
    assertNoConsoleErrors("a normal visit");
    drainLogs();
    List<String> asked = requested.subList(before, requested.size());
    assertTrue(asked.contains(base + "/api/v1/page-config"), asked.toString());
    for (String url : asked) {
      assertFalse(url.equals(base + "/dev/sms") || url.startsWith(base + "/dev/sms?") && !url.contains("phone="),
          "the inbox is found from the page's configuration, not by a probe that fails: " + url);
    }
  }

  @Test
  void noCodeAndNoQueryBeforeTheConsentBoxIsTicked() {
    String phone = Numbers.fresh();
    open(375);
    waitForCaptcha();
    type("phone", phone);
    type("idLast6", "12345X");
    type("captcha", TestService.CAPTCHA);
    WebElement box = driver.findElement(By.id("consent"));
    assertFalse(box.isSelected(), "the box starts unticked");
    assertTrue(text("label[for='consent']").contains("我已阅读并同意《个人信息处理说明》"));
    driver.findElement(By.id("send-code")).click();
    waitUntil("the consent message", () -> text("#consent-error").contains("请先阅读并勾选"));
    assertEquals("consent", active().getAttribute("id"));
    assertEquals("true", box.getAttribute("aria-invalid"));
    assertTrue(box.getAttribute("aria-describedby").contains("consent-error"));
    screenshot("consent-required-375.png", 375);
    // the submit button refuses as well
    type("smsCode", "123456");
    driver.findElement(By.id("consent-error")); // still there
    driver.findElement(By.id("submit")).click();
    assertTrue(text("#consent-error").contains("请先阅读并勾选"));
    assertTrue(driver.findElement(By.id("notice")).getAttribute("hidden") != null);
    assertEquals(0, app.api().inbox(phone).size(), "nothing was texted");
    assertEquals(TestService.CAPTCHA, driver.findElement(By.id("captcha")).getAttribute("value"), "the captcha was not spent");
    // ticked by keyboard: the message goes, and the code is sent
    box.sendKeys(Keys.SPACE);
    waitUntil("the consent message cleared", () -> text("#consent-error").isEmpty());
    assertFalse("true".equals(box.getAttribute("aria-invalid")));
    driver.findElement(By.id("send-code")).click();
    waitUntil("the code sent notice", () -> text("#send-code-status").contains("验证码已发送"));
    assertEquals(1, app.api().inbox(phone).size());
  }

  @Test
  void theNoticeSaysWhatWhyWhoReceivesWhatHowLongAndWhomToAsk() {
    open(1280);
    waitUntil("the operator's contact", () -> !text("#operator-contact").contains("正在加载"));
    String notice = text("#privacy");
    for (String must : List.of("个人信息处理说明", "手机号码和身份证号码后六位", "IP地址", "号码所属运营商", "仅手机号码", "短信网关",
        "120秒", "5分钟", "48小时", "7天", "24小时", "138****8000", "不记录身份证号码和验证码")) {
      assertTrue(notice.contains(must), "the notice says " + must + ": " + notice);
    }
    JsonObject contact = app.service().context().config.getJsonObject("page").getJsonObject("operatorContact");
    assertTrue(text("#operator-contact").contains(contact.getString("name")), text("#operator-contact"));
    assertTrue(text("#operator-contact").contains(contact.getString("email")), text("#operator-contact"));
    // the consent label's link leads to it
    driver.findElement(By.id("privacy-link")).click();
    waitUntil("the notice in view", () -> driver.getCurrentUrl().endsWith("#privacy"));
    // where to turn: the operator for texts that do not arrive, the enterprises for a cancelled number's accounts
    String guide = text("#guide");
    assertTrue(text("#delivery-help").contains("运营方"), text("#delivery-help"));
    assertTrue(guide.contains("已销号") && guide.contains("无法在此查询") && guide.contains("企业客服电话"), guide);
    assertTrue(driver.findElement(By.id("notice")).getAttribute("innerText").contains("运营方")
        || driver.findElement(By.id("notice")).getAttribute("textContent").contains("运营方"));
    screenshot("notice-1280.png", 1280);
  }

  @Test
  void axeFindsNoWcag21AOrAaViolationBeforeOrAfterErrorsAt1280And375Px() {
    for (int width : new int[] {1280, 375}) {
      open(width);
      waitForCaptcha();
      waitUntil("the hotline table", () -> !driver.findElements(By.cssSelector("#hotline-rows tr[data-enterprise]")).isEmpty());
      waitUntil("the operator's contact", () -> !text("#operator-contact").contains("正在加载"));
      assertNoAxeViolations("the page at " + width + " px");
      // every kind of message at once: the consent box, then the fields, then a server answer
      driver.findElement(By.id("send-code")).click();
      waitUntil("the consent message", () -> !text("#consent-error").isEmpty());
      consent();
      type("phone", "12345");
      type("idLast6", "1234Y");
      type("smsCode", "12");
      driver.findElement(By.id("submit")).click();
      waitUntil("the field messages", () -> !text("#idLast6-error").isEmpty());
      type("phone", "14012345678");
      type("captcha", TestService.CAPTCHA);
      driver.findElement(By.id("send-code")).click();
      waitUntil("the server's message", () -> text("#phone-error").contains("暂不支持该号段"));
      assertNoAxeViolations("the page with error messages at " + width + " px");
    }
  }

  @Test
  void theBrowserAskedNothingOfAnyOtherHost() {
    // a visit of its own (and whatever the tests before it asked)
    int before = requested.size();
    open(1280);
    waitForCaptcha();
    waitUntil("the hotline table", () -> !driver.findElements(By.cssSelector("#hotline-rows tr[data-enterprise]")).isEmpty());
    collectResourceTiming();
    drainLogs();
    assertTrue(requested.subList(before, requested.size()).stream().anyMatch(u -> u.startsWith(base + "/api/v1/captcha")),
        "the performance log recorded the page's requests: " + requested);
    assertNoRequestLeftTheService();
  }

  private static void assertNoRequestLeftTheService() {
    List<String> foreign = new ArrayList<>();
    for (String url : requested) {
      // chrome: URLs are the browser's own new-tab page before the first navigation, not the page's
      if (!(url.startsWith(base + "/") || url.equals(base) || url.startsWith("data:") || url.startsWith("chrome:"))) {
        foreign.add(url);
      }
    }
    for (String url : resourceTimingNames) {
      if (!url.startsWith(base + "/")) {
        foreign.add(url);
      }
    }
    assertEquals(List.of(), foreign, "requests to another host");
    assertEquals(List.of(), cspViolations, "Content-Security-Policy violations in the console");
    // nothing personal in any URL but the dev-only simulator inbox
    Pattern number = Pattern.compile("1[3-9]\\d{9}");
    for (String url : requested) {
      if (!url.startsWith(base + "/dev/sms")) {
        assertFalse(number.matcher(url).find(), "a phone number in " + url);
      }
    }
  }

  // ------------------------------------------------------------------ helpers
  /** Fills the number, ID and captcha at {@code width} px, asks for a code, and reads it in the inbox panel. */
  private String askForACodeAndReadIt(String phone, int width) {
    open(width);
    waitForCaptcha();
    type("phone", phone);
    type("idLast6", "12345X");
    type("captcha", TestService.CAPTCHA);
    consent();
    driver.findElement(By.id("send-code")).click();
    waitUntil("the code in the inbox", () -> CODE.matcher(text("#inbox-list")).find());
    Matcher m = CODE.matcher(text("#inbox-list"));
    assertTrue(m.find());
    return m.group(1);
  }
}
