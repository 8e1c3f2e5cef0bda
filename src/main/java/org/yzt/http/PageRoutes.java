package org.yzt.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;
import org.yzt.config.CaptchaConfig;
import org.yzt.config.LimitsConfig;
import org.yzt.config.PageConfig;
import org.yzt.config.PipelineConfig;
import org.yzt.config.SimulatorsConfig;
import org.yzt.config.SmsCodeConfig;
import org.yzt.config.SmsConfig;
import org.yzt.contract.ErrorCode;
import org.yzt.runtime.AppContext;

/**
 * The pages of SPEC §2.5 ({@code /} the query home page, {@code /accounts}, {@code /cards}, and
 * {@code /favicon.ico}) and two read-only routes beside the API of SPEC §2: {@code GET /api/v1/openapi.json} (the
 * description of the API, SPEC §12, kept in {@code src/main/resources/openapi.json}) and
 * {@code GET /api/v1/page-config} (what the page needs: {@code page.operatorContact}, the retention
 * figures its notice and hints state and the sender it names, read through the same records the
 * services run with, and whether the dev inbox exists, so the page never probes
 * {@code /dev/sms} with a request that fails).
 */
final class PageRoutes {
  static final String OPENAPI_RESOURCE = "openapi.json";

  private final AppContext ctx;
  private final JsonObject pageConfig;

  PageRoutes(AppContext ctx) {
    this.ctx = ctx;
    // only the ones the operator filled in
    JsonObject shown = new JsonObject(new LinkedHashMap<>(PageConfig.from(ctx.config).operatorContact()));
    this.pageConfig = new JsonObject().put("operatorContact", shown)
        .put("devInbox", SimulatorsConfig.from(ctx.config).enabled())
        .put("sender", SmsConfig.from(ctx.section("sms")).sender())
        .put("retention", retention(ctx));
  }

  /** The figures the page's personal-information notice states, as this service is configured. */
  private static JsonObject retention(AppContext ctx) {
    return new JsonObject()
        .put("captchaSeconds", CaptchaConfig.from(ctx.config).ttlSeconds())
        .put("smsCodeSeconds", SmsCodeConfig.from(ctx.config).ttlSeconds())
        .put("queryWindowSeconds", LimitsConfig.from(ctx.config).queryWindowSeconds())
        .put("deadlineSeconds", PipelineConfig.from(ctx.section("pipeline")).deadlineMs() / 1000);
  }

  void mount(Router router) {
    router.get("/api/v1/openapi.json").handler(this::openApi);
    router.get("/api/v1/page-config").handler(rc -> ApiRoutes.json(rc, 200, pageConfig));
    // SPEC §2.5: the home page and the two query pages; never cached (no-store from the gateway)
    PAGES.forEach((path, file) -> router.get(path).handler(rc -> page(rc, file, HTML)));
    // browsers ask for it whatever the page declares; a 404 there is a console error (SPEC §7)
    router.get("/favicon.ico").handler(rc -> page(rc, "webroot/assets/favicon.svg", SVG));
  }

  private static final Map<String, String> PAGES = Map.of(
      "/", "webroot/index.html", "/accounts", "webroot/accounts.html", "/cards", "webroot/cards.html");
  private static final String HTML = "text/html; charset=utf-8";
  private static final String SVG = "image/svg+xml";

  private static void page(RoutingContext rc, String file, String type) {
    rc.response().putHeader(HttpHeaders.CONTENT_TYPE, type).sendFile(file)
        .onFailure(err -> {
          if (!rc.response().headWritten()) {
            HttpErrors.send(rc, ErrorCode.INTERNAL_ERROR);
          }
        });
  }

  private void openApi(RoutingContext rc) {
    // a classpath resource: Vert.x caches it after the first read
    ctx.vertx.fileSystem().readFile(OPENAPI_RESOURCE)
        .onSuccess((Buffer doc) -> HttpErrors.endJson(rc.response(), doc))
        .onFailure(err -> HttpErrors.send(rc, ErrorCode.INTERNAL_ERROR));
  }
}
