package org.yzt.page;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.deque.html.axecore.providers.StringAxeScriptProvider;
import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The headless Debian Chromium that {@link QueryPageBrowserTest} drives, and what it records: every
 * URL asked for (performance log), every console entry, resource-timing names; with the helpers a
 * person's actions are written in (open at a width, type, wait, screenshot, axe-core, console).
 * One browser per test class: {@link #launch} in {@code @BeforeAll}, {@link #quit} in {@code @AfterAll}.
 */
final class PageDriver {
  static final String CHROMIUM = "/usr/bin/chromium";
  static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  static final Path SCREENSHOTS = Path.of("target/screenshots");

  static ChromeDriver driver;
  static Path profileDir;
  static String base;
  /** Every URL the browser asked for, from Chrome's performance log (CDP Network events). */
  static final List<String> requested = new ArrayList<>();
  /** Console entries that speak of a Content-Security-Policy violation. */
  static final List<String> cspViolations = new ArrayList<>();
  /** Every console entry since the last {@link #console()} reset, as "LEVEL message". */
  static final List<String> consoleEntries = new ArrayList<>();
  static final Set<String> resourceTimingNames = ConcurrentHashMap.newKeySet();

  private PageDriver() {}

  /** Starts the browser for pages under {@code baseUrl}. */
  static void launch(String baseUrl) throws Exception {
    // CI installs both with apt-get (.ci/run); a missing browser is a failure, never a skip
    if (!Files.isExecutable(Path.of(CHROMIUM)) || !Files.isExecutable(Path.of(CHROMEDRIVER))) {
      fail("the browser test needs Debian's Chromium and its driver: " + CHROMIUM + " and " + CHROMEDRIVER
          + " must exist (apt-get install -y chromium chromium-driver, as .ci/run does)");
    }
    base = baseUrl;
    Files.createDirectories(SCREENSHOTS);
    profileDir = Files.createTempDirectory("yzt-chromium-");

    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profileDir.toAbsolutePath(),
        "--window-size=1280,900", "--lang=zh-CN");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.PERFORMANCE, Level.ALL);
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    // an explicit driver and binary: Selenium Manager has nothing to find and downloads nothing
    ChromeDriverService driverService = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER))
        .usingAnyFreePort()
        .build();
    driver = new ChromeDriver(driverService, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(20));
  }

  static void quit() throws Exception {
    if (driver != null) {
      driver.quit();
    }
    if (profileDir != null) {
      try (var walk = Files.walk(profileDir)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The internet-account page ({@code /accounts}) at {@code width} CSS pixels. */
  static void open(int width) {
    open(width, 1);
  }

  static void open(int width, int scale) {
    open("/accounts", width, scale);
  }

  static void open(String path, int width) {
    open(path, width, 1);
  }

  /** Loads {@code path} in a viewport {@code width} CSS pixels wide (a phone below 600). */
  static void open(String path, int width, int scale) {
    emulate(width, 900, scale);
    driver.get(base + path);
    waitUntil("the page script", () -> Boolean.TRUE.equals(((JavascriptExecutor) driver)
        .executeScript("return document.readyState === 'complete';")));
  }

  static void emulate(int width, int height, int scale) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
        "width", width, "height", height, "deviceScaleFactor", scale, "mobile", width < 600));
  }

  static WebElement waitForCaptcha() {
    WebElement img = driver.findElement(By.id("captcha-img"));
    waitUntil("the captcha image", () -> imageLoaded(img));
    return img;
  }

  static boolean imageLoaded(WebElement img) {
    return Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript(
        "var i = arguments[0]; return i.complete && i.naturalWidth > 0 && i.src.indexOf('data:image/png') === 0;", img));
  }

  static void type(String id, String value) {
    WebElement input = driver.findElement(By.id(id));
    input.clear();
    input.sendKeys(value);
  }

  static String text(String css) {
    return driver.findElement(By.cssSelector(css)).getText();
  }

  static WebElement active() {
    return driver.switchTo().activeElement();
  }

  static void waitUntil(String what, java.util.function.BooleanSupplier condition) {
    waitUntil(Duration.ofSeconds(15), what, condition);
  }

  static void waitUntil(Duration timeout, String what, java.util.function.BooleanSupplier condition) {
    org.yzt.testing.Wait.await(timeout.toMillis(), what, condition);
  }

  /** A full-page PNG {@code width} CSS pixels wide, under target/screenshots/. */
  static void screenshot(String name, int width) {
    screenshot(name, width, 1);
  }

  static void screenshot(String name, int width, int scale) {
    try {
      emulate(width, 900, scale);
      Thread.sleep(150);
      Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> content = (Map<String, Object>) metrics.get("cssContentSize");
      double height = ((Number) content.get("height")).doubleValue();
      Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
          "format", "png", "captureBeyondViewport", true,
          "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
      Files.write(SCREENSHOTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    } catch (Exception e) {
      throw new AssertionError("screenshot " + name + ": " + e, e);
    }
  }

  static void collectResourceTiming() {
    @SuppressWarnings("unchecked")
    List<Object> names = (List<Object>) ((JavascriptExecutor) driver).executeScript(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
            + ".concat([location.href]);");
    names.forEach(n -> resourceTimingNames.add(String.valueOf(n)));
  }

  /**
   * axe-core from npm (bin/test runs {@code npm ci} on src/test/axe into target/axe): the Maven
   * artifact bundles 4.11.1, which misses what 4.14 finds (label-content-name-mismatch on links).
   */
  static final Path AXE = Path.of("target/axe/node_modules/axe-core/axe.min.js");
  private static String axeScript;

  static synchronized String axeScript() {
    if (axeScript == null) {
      if (!Files.isRegularFile(AXE)) {
        fail(AXE + " is missing: bin/test installs it (mkdir -p target/axe && cp src/test/axe/package*.json target/axe"
            + " && npm ci --prefix target/axe)");
      }
      try {
        axeScript = Files.readString(AXE);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return axeScript;
  }

  /** axe-core's WCAG 2.0/2.1 A and AA rules (SPEC §7) on the page as it is now. */
  static void assertNoAxeViolations(String what) {
    assertNoAxeViolations(what, new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")), 10);
  }

  /** 长辈模式: text contrast at least 7:1 (axe's color-contrast-enhanced, WCAG 1.4.6). */
  static void assertEnhancedContrast(String what) {
    assertNoAxeViolations(what, new AxeBuilder().withOnlyRules(List.of("color-contrast-enhanced")), 0);
  }

  private static void assertNoAxeViolations(String what, AxeBuilder builder, int minPasses) {
    builder.setAxeScriptProvider(new StringAxeScriptProvider(axeScript()));
    Results results = builder.analyze(driver);
    String version = results.getTestEngine().getVersion();
    String[] v = version.split("\\.");
    assertTrue(Integer.parseInt(v[0]) > 4 || Integer.parseInt(v[0]) == 4 && Integer.parseInt(v[1]) >= 14,
        "axe-core 4.14 or later ran, not " + version);
    assertTrue(results.getPasses().size() > minPasses, "axe ran its rules on " + what);
    List<String> violations = new ArrayList<>();
    for (Rule rule : results.getViolations()) {
      rule.getNodes().forEach(n -> violations.add(rule.getId() + " (" + rule.getImpact() + "): " + n.getTarget() + " — "
          + rule.getHelp()));
    }
    assertEquals(List.of(), violations, "axe violations on " + what);
  }

  /** Ticks the consent box (SPEC §7) unless it is ticked. */
  static void consent() {
    WebElement box = driver.findElement(By.id("consent"));
    if (!box.isSelected()) {
      box.click();
    }
  }

  /**
   * The browser as a newcomer's: no cookie, nothing in the service origin's storage (the page's only
   * state, 长辈模式, is in localStorage), a fresh console record; the page shown is left for the next
   * {@link #open}.
   */
  static void forgetPageState() {
    driver.manage().deleteAllCookies();
    if (driver.getCurrentUrl().startsWith(base + "/")) {
      ((JavascriptExecutor) driver).executeScript("window.localStorage.clear(); window.sessionStorage.clear();");
    } // else nothing of the service was opened yet: nothing stored
    console();
  }

  /** Starts a fresh record of console entries. */
  static void console() {
    drainLogs();
    consoleEntries.clear();
  }

  /**
   * No SEVERE console entry since {@link #console()}: a probe logged with console.error first proves
   * the log is captured at all, so an empty list means no error rather than no log.
   */
  static void assertNoConsoleErrors(String during) {
    String probe = "yzt-console-probe-" + System.nanoTime();
    ((JavascriptExecutor) driver).executeScript("console.error(arguments[0]);", probe);
    drainLogs();
    assertTrue(consoleEntries.stream().anyMatch(e -> e.startsWith("SEVERE") && e.contains(probe)),
        "the console probe was captured: " + consoleEntries);
    List<String> severe = consoleEntries.stream().filter(e -> e.startsWith("SEVERE") && !e.contains("yzt-console-probe-")).toList();
    assertEquals(List.of(), severe, "console errors during " + during);
  }

  static void drainLogs() {
    for (LogEntry entry : driver.manage().logs().get(LogType.PERFORMANCE)) {
      JsonObject message = new JsonObject(entry.getMessage()).getJsonObject("message", new JsonObject());
      if ("Network.requestWillBeSent".equals(message.getString("method"))) {
        String url = message.getJsonObject("params").getJsonObject("request").getString("url");
        requested.add(url);
      }
    }
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      String text = entry.getMessage();
      consoleEntries.add(entry.getLevel().getName() + " " + text);
      if (text.contains("Content Security Policy") || text.contains("Refused to")) {
        cspViolations.add(text);
      }
    }
  }
}
