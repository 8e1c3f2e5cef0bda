package org.yzt.captcha;

import org.yzt.testing.Layout;
import org.yzt.config.CaptchaConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.captcha.CaptchaBus.assertEmptyReply;
import static org.yzt.captcha.CaptchaBus.await;
import static org.yzt.captcha.CaptchaBus.invalid;
import static org.yzt.captcha.CaptchaBus.issue;
import static org.yzt.captcha.CaptchaBus.verify;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yzt.contract.Addresses;
import org.yzt.runtime.AppContext;
import org.yzt.testing.RedisServer;
import org.yzt.testing.TestService;

/** The captcha verticle alone, in fixed mode ("YZT8"), against a private Redis, over the event bus. */
@ExtendWith(VertxExtension.class)
class CaptchaVerticleTest {
  private static final String ANSWER = TestService.CAPTCHA;
  private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_-]{22}$");
  private static final String DATA_URL = "data:image/png;base64,";

  private static RedisServer redis;
  private static AppContext ctx;
  private static org.yzt.testing.ClassLog log;

  @BeforeAll
  static void deploy(Vertx vertx) throws Exception {
    log = org.yzt.testing.ClassLog.start(CaptchaVerticleTest.class, null);
    redis = RedisServer.startNew();
    // 50 issues at once below: more on-demand renders in flight than the default bound (16) allows
    ctx = CaptchaBus.deploy(vertx, TestService.config(redis, new JsonObject().put("captcha",
        new JsonObject().put("maxRendersInFlight", 64))));
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
    log.close();
  }

  @Test
  void issuesAPngOfTheExpectedSize(Vertx vertx) throws Exception {
    JsonObject c = issue(vertx);
    assertEquals(Set.of("captchaId", "image", "expiresInSeconds"), c.fieldNames());
    assertEquals(120, c.getInteger("expiresInSeconds"));
    String image = c.getString("image");
    assertTrue(image.startsWith(DATA_URL), "a PNG data URL");
    byte[] png = Base64.getDecoder().decode(image.substring(DATA_URL.length()));
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img);
    assertEquals(120, img.getWidth());
    assertEquals(44, img.getHeight());
  }

  @Test
  void idsAre22UrlSafeCharactersAndAllDifferent(Vertx vertx) {
    Set<String> ids = new HashSet<>();
    List<Future<Message<JsonObject>>> pending = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      pending.add(CaptchaBus.send(vertx, Addresses.CAPTCHA_ISSUE, new JsonObject()));
    }
    for (Future<Message<JsonObject>> f : pending) {
      String id = await(f).body().getString("captchaId");
      assertTrue(ID.matcher(id).matches(), "22 URL-safe characters");
      assertTrue(ids.add(id), "unique");
    }
  }

  @Test
  void theRightAnswerVerifiesOnceCaseInsensitively(Vertx vertx) {
    String id = issue(vertx).getString("captchaId");
    assertEmptyReply(verify(vertx, id, ANSWER.toLowerCase(Locale.ROOT)));
    invalid(vertx, id, ANSWER);

    String id2 = issue(vertx).getString("captchaId");
    assertEmptyReply(verify(vertx, id2, " " + ANSWER + " "));
    invalid(vertx, id2, ANSWER);
  }

  @Test
  void aWrongAnswerConsumesTheCaptcha(Vertx vertx) {
    String id = issue(vertx).getString("captchaId");
    invalid(vertx, id, "ABCD");
    invalid(vertx, id, ANSWER);
  }

  @Test
  void aMissingOrMistypedAnswerConsumesTheCaptchaToo(Vertx vertx) {
    String id = issue(vertx).getString("captchaId");
    invalid(vertx, id, null);
    invalid(vertx, id, ANSWER);

    String id2 = issue(vertx).getString("captchaId");
    invalid(vertx, id2, 1234);
    invalid(vertx, id2, ANSWER);

    String id3 = issue(vertx).getString("captchaId");
    invalid(vertx, id3, ANSWER.repeat(1000));
    invalid(vertx, id3, ANSWER);
  }

  @Test
  void unknownAndMalformedIdsAreInvalid(Vertx vertx) {
    invalid(vertx, "AAAAAAAAAAAAAAAAAAAAAA", ANSWER);
    invalid(vertx, null, ANSWER);
    invalid(vertx, "", ANSWER);
    invalid(vertx, "short", ANSWER);
    invalid(vertx, "AAAAAAAAAAAAAAAAAAAA/+", ANSWER);
    invalid(vertx, "AAAAAAAAAAAAAAAAAAAAAA*", ANSWER);
    invalid(vertx, "yzt:cap:*", ANSWER);
    CaptchaBus.fails(400, "CAPTCHA_INVALID",
        CaptchaBus.send(vertx, Addresses.CAPTCHA_VERIFY, new JsonObject().put("captchaId", 42).put("answer", ANSWER)));
  }

  @Test
  void concurrentRightAnswersSucceedExactlyOnce(Vertx vertx) {
    String id = issue(vertx).getString("captchaId");
    List<Future<Message<JsonObject>>> tries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      tries.add(CaptchaBus.verifyAsync(vertx, id, ANSWER));
    }
    await(Future.join(tries).otherwiseEmpty());
    assertEquals(1, tries.stream().filter(Future::succeeded).count());
    tries.stream().filter(Future::failed).forEach(f -> assertEquals("CAPTCHA_INVALID", f.cause().getMessage()));
  }

  @Test
  void redisHoldsOnlyAKeyedHashUnderTheIdWithTheTtl(Vertx vertx) {
    redis.cli("FLUSHALL");
    String id = issue(vertx).getString("captchaId");
    String key = Layout.KEYS.captcha(id);
    String value = redis.cli("GET", key).trim();
    assertFalse(value.isEmpty(), "stored");
    assertFalse(value.toUpperCase(Locale.ROOT).contains(ANSWER), "value does not hold the answer");
    assertNotEquals(ANSWER, value);
    assertEquals(ctx.personalData.secretHash("captcha", ANSWER), value, "the keyed hash of the uppercased answer");
    long ttl = Long.parseLong(redis.cli("TTL", key).trim());
    assertTrue(ttl > 0 && ttl <= 120, "expires with captcha.ttlSeconds: " + ttl);

    String dump = redis.dumpAll();
    assertTrue(dump.contains(key));
    // the random id and hash could spell the answer by chance; everything else must not
    String rest = dump.replace(id, "<id>").replace(value, "<hash>");
    assertFalse(rest.toUpperCase(Locale.ROOT).contains(ANSWER), "no key or value shows the answer: " + rest);

    assertEmptyReply(verify(vertx, id, ANSWER));
    assertEquals("0", redis.cli("EXISTS", key).trim(), "consumed");
  }

  @Test
  void theServiceIssuesFromAnEventLoopWithoutDrawingOnIt(Vertx vertx) throws Exception {
    // no pool: every captcha is drawn on demand, which must happen on a worker thread
    JsonObject noPool = ctx.config.copy();
    noPool.getJsonObject("captcha").put("poolSize", 0).put("audioPoolSize", 0);
    CaptchaConfig config = CaptchaConfig.from(noPool);
    // every thread of the renderers' own executor busy: a captcha asked for on an event loop cannot be
    // drawn until one is free (the shared worker pool, which serves the page's files, is not theirs)
    int workers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    // the image pool as CaptchaService.newPools makes it, its drawing watched: how many, and on which thread
    java.util.concurrent.atomic.AtomicInteger draws = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicReference<String> drawnOn = new java.util.concurrent.atomic.AtomicReference<>();
    CaptchaPool<CaptchaService.Drawn> images = new CaptchaPool<>(vertx, 0, workers, Integer.MAX_VALUE, () -> {
      CaptchaService.Drawn d = CaptchaService.draw(config, ctx.personalData);
      drawnOn.set(Thread.currentThread().getName());
      draws.incrementAndGet();
      return d;
    }, null, "test.captcha.pool").start();
    CaptchaService service = new CaptchaService(ctx.redis, ctx.personalData, ctx.keys, config, ctx.redisTimeoutMs(),
        null, new CaptchaService.Pools(images, CaptchaService.newPools(vertx, config, ctx.personalData, null).audio()), false);
    io.vertx.core.WorkerExecutor renderers = vertx.createSharedWorkerExecutor(CaptchaPool.EXECUTOR, workers);
    java.util.concurrent.CountDownLatch busy = new java.util.concurrent.CountDownLatch(workers);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    List<Future<Boolean>> blockers = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      blockers.add(renderers.executeBlocking(() -> {
        busy.countDown();
        return release.await(20, java.util.concurrent.TimeUnit.SECONDS);
      }, false));
    }
    io.vertx.core.Promise<JsonObject> issued = io.vertx.core.Promise.promise();
    io.vertx.core.Promise<Integer> afterIssue = io.vertx.core.Promise.promise();
    try {
      assertTrue(busy.await(10, java.util.concurrent.TimeUnit.SECONDS), "all worker threads taken");
      io.vertx.core.Context loop = vertx.getOrCreateContext();
      loop.runOnContext(v -> {
        if (!io.vertx.core.Context.isOnEventLoopThread()) {
          issued.tryFail(new AssertionError("not on an event loop"));
          return;
        }
        service.issue().onComplete(issued);
      });
      // the loop's next task runs once issue() has returned: an image drawn on the loop is drawn by then
      loop.runOnContext(v -> afterIssue.complete(draws.get()));
      assertEquals(0, await(afterIssue.future()), "the image was drawn on the event loop, without a worker thread");
      assertFalse(issued.future().isComplete(), "issued before a worker thread was free: " + issued.future());
    } finally {
      release.countDown();
    }
    JsonObject c = await(issued.future());
    assertEquals(1, draws.get());
    assertTrue(drawnOn.get().startsWith(CaptchaPool.EXECUTOR), "drawn on a renderer's thread: " + drawnOn.get());
    assertTrue(c.getString("image").startsWith(DATA_URL));
    assertEmptyReply(verify(vertx, c.getString("captchaId"), ANSWER));
    await(Future.all(blockers));
  }

  @Test
  void countsIssuesAndVerifications(Vertx vertx) {
    MeterRegistry m = ctx.metrics;
    double ok = m.counter("yzt.captcha.verified", "result", "ok").count();
    double bad = m.counter("yzt.captcha.verified", "result", "invalid").count();
    double issued = m.counter("yzt.captcha.issued").count();
    String id = issue(vertx).getString("captchaId");
    verify(vertx, id, ANSWER);
    invalid(vertx, id, ANSWER);
    assertEquals(issued + 1, m.counter("yzt.captcha.issued").count());
    assertEquals(ok + 1, m.counter("yzt.captcha.verified", "result", "ok").count());
    assertEquals(bad + 1, m.counter("yzt.captcha.verified", "result", "invalid").count());
  }

  @Test
  void theAnswerNeverReachesTheLog(Vertx vertx) throws Exception {
    ch.qos.logback.classic.Logger yzt = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.yzt");
    ch.qos.logback.classic.Level old = yzt.getLevel();
    yzt.setLevel(ch.qos.logback.classic.Level.DEBUG); // the debug lines too
    String probe = "captcha-log-probe-" + System.nanoTime();
    try {
      org.slf4j.LoggerFactory.getLogger(CaptchaService.class).debug(probe);
      String id = issue(vertx).getString("captchaId");
      invalid(vertx, id, "WXYZ");
      verify(vertx, issue(vertx).getString("captchaId"), ANSWER);
    } finally {
      yzt.setLevel(old);
    }
    String written = log.text();
    assertTrue(written.contains(probe), "the sweep reads what the captcha code logs at DEBUG");
    assertFalse(written.toUpperCase(Locale.ROOT).contains(ANSWER), "answer in the log");
    assertFalse(written.toUpperCase(Locale.ROOT).contains("WXYZ"), "a tried answer in the log");
  }
}
