package org.yzt.page;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.yzt.testing.Api;
import org.yzt.testing.ServiceExtension;
import org.yzt.testing.TestService;

/**
 * The whole service ({@link ServiceExtension}) and one {@link PageDriver} browser on its pages, per
 * test class: {@code @RegisterExtension static final BrowserExtension app = new BrowserExtension();}.
 * The browser starts after the service and quits before it; its logs are collected after each test.
 * Before each test the browser forgets what the pages stored (长辈模式 is remembered in localStorage)
 * and the console record starts anew: one browser for the class, no state from one test for the next.
 */
final class BrowserExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback, AfterAllCallback {
  private final ServiceExtension service;

  /** The dev defaults of {@link TestService#config} with {@code overrides} deep-merged. */
  BrowserExtension(JsonObject overrides) {
    service = new ServiceExtension(overrides);
  }

  BrowserExtension() {
    this(new JsonObject());
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    service.beforeAll(context);
    PageDriver.launch("http://127.0.0.1:" + service.service().httpPort());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    PageDriver.forgetPageState();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (PageDriver.driver != null) {
      PageDriver.drainLogs();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      PageDriver.quit();
    } finally {
      service.afterAll(context);
    }
  }

  TestService service() {
    return service.service();
  }

  /** A client of the public API. */
  Api api() {
    return service.api();
  }
}
