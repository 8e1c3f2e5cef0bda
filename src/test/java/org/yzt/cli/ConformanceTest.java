package org.yzt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.partner.RequestSigner;
import org.yzt.testing.ServiceExtension;

/**
 * {@code conformance} (SPEC §12) against our own simulators (all checks pass, for every role, and
 * with a previous key during a rotation) and against peers that cut corners (each caught).
 */
class ConformanceTest {
  @RegisterExtension
  static final ServiceExtension app = new ServiceExtension(new JsonObject().put("sms", new JsonObject()
      .put("previousKeys", new JsonArray().add(new JsonObject().put("keyId", "yzt-sms-old").put("secret", "old-sms-secret")))));

  static final List<String> CHECKS = List.of("signed-request-answered", "bad-signature-refused",
      "stale-timestamp-refused", "replayed-nonce-refused", "unknown-fields-tolerated");
  /** A carrier's three endpoints: verify, then the phone-card calls (SPEC §13). */
  static final List<String> CARRIER_CHECKS = java.util.stream.Stream.of("", "verify-identity/", "card-count/")
      .flatMap(prefix -> CHECKS.stream().map(c -> prefix + c)).toList();

  static Vertx vertx;
  static HttpServer laxPeer;
  static HttpServer noReplayCheckPeer;

  record Outcome(int status, List<String> lines, String err) {}

  @BeforeAll
  static void peers() throws Exception {
    vertx = Vertx.vertx();
    // answers every request well-formed, signed or not
    laxPeer = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> req.response()
        .putHeader("Content-Type", "application/json").end(answer(b.toJsonObject()).encode()))).listen(0)
        .await(10, TimeUnit.SECONDS);
    // checks the signature and the timestamp, but remembers no nonce
    RequestSigner signer = new RequestSigner("k-test", "s-test");
    noReplayCheckPeer = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      if (!signer.verify(req.headers(), "POST", req.path(), b, System.currentTimeMillis())) {
        req.response().setStatusCode(401).end("{}");
        return;
      }
      req.response().putHeader("Content-Type", "application/json").end(answer(b.toJsonObject()).encode());
    })).listen(0).await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  private static JsonObject answer(JsonObject req) {
    return new JsonObject().put("requestId", req.getValue("requestId")).put("messageId", req.getValue("messageId"))
        .put("result", "MATCH").put("status", "QUEUED").put("accounts", new JsonArray()).put("count", 0);
  }

  static Outcome conformance(String... args) {
    return conformanceWith(Map.of(), args);
  }

  static Outcome conformanceWith(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> all = new ArrayList<>(List.of("conformance"));
    all.addAll(List.of(args));
    Cli.Parsed parsed = Cli.parse(all.toArray(String[]::new), env, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String text = out.toString(StandardCharsets.UTF_8);
    return new Outcome(parsed.exitStatus(), text.isEmpty() ? List.of() : List.of(text.split("\n")),
        err.toString(StandardCharsets.UTF_8));
  }

  private static String sim(String path) {
    return "http://127.0.0.1:" + app.service().simulatorPort() + path;
  }

  private static void assertAllPass(Outcome o) {
    assertEquals(CHECKS.stream().map(c -> "PASS " + c).toList(), o.lines(), o.err());
    assertEquals(0, o.status());
  }

  @Test
  void ourSimulatorsPassEveryCheckForEveryRole() {
    Outcome carrier = conformance("--role", "carrier", "--url", sim("/carrier/cmcc"), "--key-id", "yzt-cmcc",
        "--secret", "dev-secret-carrier-cmcc");
    assertEquals(CARRIER_CHECKS.stream().map(c -> "PASS " + c).toList(), carrier.lines(), carrier.err());
    assertEquals(0, carrier.status());
    Outcome named = conformance("--role", "carrier", "--url", sim("/carrier/ctcc"), "--key-id", "yzt-ctcc",
        "--secret", "dev-secret-carrier-ctcc", "--name", "李四", "--id-number", "110101198001010010");
    assertEquals(CARRIER_CHECKS.stream().map(c -> "PASS " + c).toList(), named.lines(), named.err());
    assertAllPass(conformance("--role", "enterprise", "--url", sim("/enterprise/tencent"), "--key-id", "yzt-tencent",
        "--secret", "dev-secret-ent-tencent", "--phone", "13800138000"));
    assertAllPass(conformance("--role", "sms", "--url", sim("/sms"), "--key-id", "yzt-sms", "--secret", "dev-secret-sms",
        "--phone", "13700000001"));
    // one run texts the handset at most once: every request of the run has the same messageId
    assertEquals(1, app.api().inbox("13700000001").size());
  }

  @Test
  void duringARotationThePreviousKeyStillPassesAndTheKeyIdSelects() {
    assertAllPass(conformance("--role", "sms", "--url", sim("/sms"), "--key-id", "yzt-sms-old", "--secret", "old-sms-secret"));
    Outcome crossed = conformance("--role", "sms", "--url", sim("/sms"), "--key-id", "yzt-sms", "--secret", "old-sms-secret");
    assertEquals(1, crossed.status());
    assertTrue(crossed.lines().get(0).startsWith("FAIL signed-request-answered: answered 401"), crossed.lines().toString());
  }

  @Test
  void aPeerThatAcceptsAnythingFailsTheThreeRefusals() {
    Outcome o = conformance("--role", "carrier", "--url", "http://127.0.0.1:" + laxPeer.actualPort() + "/c",
        "--key-id", "k-test", "--secret", "s-test");
    assertEquals(1, o.status());
    List<String> expected = new ArrayList<>();
    for (String prefix : List.of("", "verify-identity/", "card-count/")) {
      expected.addAll(List.of("PASS " + prefix + "signed-request-answered",
          "FAIL " + prefix + "bad-signature-refused: answered 200, expected 401",
          "FAIL " + prefix + "stale-timestamp-refused: answered 200, expected 401",
          "FAIL " + prefix + "replayed-nonce-refused: answered 200, expected 401",
          "PASS " + prefix + "unknown-fields-tolerated"));
    }
    assertEquals(expected, o.lines());
  }

  @Test
  void aPeerWithoutReplayProtectionFailsOnlyTheReplay() {
    Outcome o = conformance("--role", "sms", "--url", "http://127.0.0.1:" + noReplayCheckPeer.actualPort(),
        "--key-id", "k-test", "--secret", "s-test");
    assertEquals(1, o.status());
    assertEquals(List.of("PASS signed-request-answered", "PASS bad-signature-refused", "PASS stale-timestamp-refused",
        "FAIL replayed-nonce-refused: answered 200, expected 401", "PASS unknown-fields-tolerated"), o.lines());
  }

  @Test
  void malformedAnswersSilenceAndClosedPortsAreCaught() throws Exception {
    HttpServer sloppy = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject in = b.toJsonObject();
      JsonObject out = req.path().startsWith("/echo-ok/")
          ? new JsonObject().put("requestId", in.getValue("requestId"))
          : new JsonObject().put("requestId", "not-yours");
      req.response().end(out.put("accounts", new JsonArray().add(new JsonObject().put("app", "微信").put("count", 1.5))).encode());
    })).listen(0).await(10, TimeUnit.SECONDS);
    HttpServer silent = vertx.createHttpServer().requestHandler(req -> { }).listen(0).await(10, TimeUnit.SECONDS);
    try {
      String base = "http://127.0.0.1:" + sloppy.actualPort();
      Outcome notEchoed = conformance("--role", "enterprise", "--url", base, "--key-id", "k", "--secret", "s");
      assertEquals("FAIL signed-request-answered: requestId not echoed", notEchoed.lines().get(0).replaceAll(": sent .*", ""));
      Outcome badCount = conformance("--role", "enterprise", "--url", base + "/echo-ok", "--key-id", "k", "--secret", "s");
      assertEquals("FAIL signed-request-answered: malformed body: the count of 微信 is not a non-negative integer: 1.5",
          badCount.lines().get(0));
      Outcome slow = conformance("--role", "carrier", "--url", "http://127.0.0.1:" + silent.actualPort(), "--key-id", "k",
          "--secret", "s", "--timeout-ms", "300");
      assertEquals("FAIL signed-request-answered: no answer within 300 ms", slow.lines().get(0));
      assertEquals(1, slow.status());
    } finally {
      sloppy.close();
      silent.close();
    }
    Outcome closed = conformance("--role", "enterprise", "--url", "http://127.0.0.1:1", "--key-id", "k", "--secret", "s");
    assertEquals(1, closed.status());
    assertTrue(closed.lines().get(0).startsWith("FAIL signed-request-answered: request failed"), closed.lines().toString());
  }

  @Test
  void aCarrierThatCountsBadlyIsCaughtOnCardCount() throws Exception {
    HttpServer badCount = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      JsonObject in = b.toJsonObject();
      req.response().end(new JsonObject().put("requestId", in.getValue("requestId")).put("result", "MATCH")
          .put("count", -1).encode());
    })).listen(0).await(10, TimeUnit.SECONDS);
    try {
      Outcome o = conformance("--role", "carrier", "--url", "http://127.0.0.1:" + badCount.actualPort(), "--key-id", "k",
          "--secret", "s");
      assertEquals(1, o.status());
      assertTrue(o.lines().contains("PASS signed-request-answered"), o.lines().toString());
      assertTrue(o.lines().contains("PASS verify-identity/signed-request-answered"), o.lines().toString());
      assertTrue(o.lines().contains("FAIL card-count/signed-request-answered: malformed body: count is -1, not an integer >= 0"),
          o.lines().toString());
    } finally {
      badCount.close();
    }
  }

  @Test
  void againstHttpsACarrierNeedsANameAndIdNumber() {
    Outcome o = conformance("--role", "carrier", "--url", "https://carrier.invalid", "--key-id", "k", "--secret", "s",
        "--phone", "13800138000");
    assertEquals(2, o.status());
    assertEquals("--name and --id-number are required against an https:// URL", o.err().trim());
    assertEquals(2, conformance("--role", "carrier", "--url", "http://x", "--key-id", "k", "--secret", "s",
        "--id-number", "110105491231002").status(), "a 15-digit number");
    assertEquals(2, conformance("--role", "carrier", "--url", "http://x", "--key-id", "k", "--secret", "s",
        "--name", "张").status());
  }

  @Test
  void aBadCommandLineIsAUsageError() {
    assertEquals(2, conformance("--role", "bank", "--url", "http://x", "--key-id", "k", "--secret", "s").status());
    assertEquals(2, conformance("--role", "sms", "--url", "ftp://x", "--key-id", "k", "--secret", "s").status());
    assertEquals(2, conformance("--role", "sms", "--url", "http://x", "--secret", "s").status());
    assertEquals(2, conformance("--role", "sms", "--url", "http://x", "--key-id", "k", "--secret", "s", "--phone", "123").status());
    assertEquals(2, conformance("--role", "sms", "--url", "http://x", "--key-id", "k", "--secret", "s", "--timeout-ms", "0").status());
    Outcome noValue = conformance("--role", "sms", "--url", "http://x", "--key-id", "k", "--secret");
    assertEquals(2, noValue.status());
    assertEquals("--secret needs a value (see --help)", noValue.err().trim());
    assertEquals(List.of(), noValue.lines(), "nothing was checked");
    assertTrue(conformance("--role", "bank", "--url", "http://x", "--key-id", "k", "--secret", "s").err()
        .contains("--role must be carrier, enterprise or sms"));
  }

  @Test
  void theSecretMayComeFromAFileOrTheEnvironmentAndNotFromTheCommandLine() throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("yzt-conformance", ".secret");
    try {
      java.nio.file.Files.writeString(file, "dev-secret-sms\n");
      assertAllPass(conformance("--role", "sms", "--url", sim("/sms"), "--key-id", "yzt-sms", "--secret-file", file.toString(),
          "--phone", "13700000002"));
      assertAllPass(conformanceWith(Map.of("YZT_CONFORMANCE_SECRET", "dev-secret-sms"), "--role", "sms", "--url", sim("/sms"),
          "--key-id", "yzt-sms", "--phone", "13700000002"));
      assertEquals(2, conformance("--role", "sms", "--url", sim("/sms"), "--key-id", "yzt-sms", "--secret-file",
          file + ".missing").status());
      assertEquals(2, conformance("--role", "sms", "--url", sim("/sms"), "--key-id", "yzt-sms", "--secret-file",
          file.toString(), "--secret", "dev-secret-sms").status(), "one source of the secret");
    } finally {
      java.nio.file.Files.deleteIfExists(file);
    }
  }

  @Test
  void againstHttpsThePhoneMustBeNamed() {
    Outcome o = conformance("--role", "sms", "--url", "https://127.0.0.1:1/gw", "--key-id", "k", "--secret", "s");
    assertEquals(2, o.status(), o.lines().toString());
    assertTrue(o.err().contains("--phone"), o.err());
    assertEquals(List.of(), o.lines(), "nothing was sent");
  }

  @Test
  void aHostilePeersAnswersArePrintedCutShortAndWithoutControlCharacters() throws Exception {
    String escapes = "\u001b[2J\u001b[1A\rPASS everything\u0007\u202e";
    HttpServer hostile = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
      if (req.path().startsWith("/big/")) {
        // well-formed, echoes the id, and 100 KB long: longer than the service ever reads
        JsonObject in = b.toJsonObject();
        req.response().end(answer(in).put("padding", "x".repeat(100_000)).encode());
      } else {
        req.response().setStatusCode(400).end(escapes.repeat(2000));
      }
    })).listen(0).await(10, TimeUnit.SECONDS);
    try {
      String base = "http://127.0.0.1:" + hostile.actualPort();
      Outcome big = conformance("--role", "carrier", "--url", base + "/big", "--key-id", "k", "--secret", "s");
      assertEquals("FAIL signed-request-answered: malformed answer: the body is larger than 65536 bytes", big.lines().get(0));
      Outcome rude = conformance("--role", "carrier", "--url", base + "/rude", "--key-id", "k", "--secret", "s");
      assertEquals(1, rude.status());
      for (String line : rude.lines()) {
        assertTrue(line.length() < 400, "cut short: " + line.length() + " characters");
        assertTrue(line.codePoints().noneMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT),
            "no control characters: " + line);
      }
      assertTrue(rude.lines().get(0).startsWith("FAIL signed-request-answered: answered 400, expected 200 (?[2J?[1A"),
          rude.lines().get(0));
    } finally {
      hostile.close();
    }
  }
}
