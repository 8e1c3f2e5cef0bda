package org.yzt.embedded;

import static org.yzt.testing.Wait.waitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yzt.testing.Api;
import org.yzt.testing.NodeProcess;
import org.yzt.testing.TestService;

/**
 * Issue 8: the dev profile on a machine with no Redis at all. The service starts its own Redis (the
 * 6.2 binary inside the jar), the whole flow completes on it, and no Redis of ours outlives the
 * service: not after SIGTERM, not after kill -9, not after an earlier run left one behind.
 */
class EmbeddedRedisTest {
  private static Vertx vertx;

  @BeforeAll
  static void vertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void close() {
    vertx.close();
  }

  private static final int NOTHING_LISTENS = 1;

  /** A dev-profile config whose Redis address has nothing behind it, and a fresh dev-data folder. */
  private static JsonObject devConfigWithNoRedis(Path base) {
    // port 1 (tcpmux): nothing listens there, and no test or helper binds it later, as one could a
    // port picked free and closed again
    JsonObject config = TestService.config("redis://127.0.0.1:" + NOTHING_LISTENS + "/0", null);
    config.getJsonObject("redis").put("embedded", true).put("embeddedDir", base.toString());
    return config;
  }

  private static long redisPid(Path base) throws IOException {
    return Long.parseLong(Files.readString(base.resolve("redis").resolve("redis.pid")).trim().split("\\s+")[0]);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Every live redis-server run from {@code base}'s binary: ours (Redis rewrites its argument list
   * into a title, so the executable's path is what names it).
   */
  private static List<ProcessHandle> redisProcessesUnder(Path base) {
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().command().orElse("").startsWith(base.toString()))
        .filter(p -> p.info().command().orElse("").contains("redis-server"))
        .toList();
  }


  @Test
  void withNothingOnTheConfiguredPortTheDevProfileRunsTheWholeFlowOnItsOwnRedisAndLeavesNoneAfterSigterm()
      throws Exception {
    Path base = Files.createTempDirectory("yzt-dev-data");
    JsonObject config = devConfigWithNoRedis(base);
    try (NodeProcess node = NodeProcess.service("dev-embedded", config, false)) {
      List<String> chosen = node.lines().stream().filter(l -> l.contains("using an embedded Redis 6.2")).toList();
      assertEquals(1, chosen.size(), "one line says which Redis is used:\n" + String.join("\n", node.lines()));
      assertTrue(chosen.get(0).contains(base.toString()), chosen.get(0));
      long pid = redisPid(base);
      assertTrue(alive(pid));

      WebClient client = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1")
          .setDefaultPort(config.getJsonObject("http").getInteger("port")));
      Api api = new Api(client);
      String phone = "13800138000";
      HttpResponse<Buffer> accepted = api.submit(phone, "12345X", api.codeFor(phone));
      assertEquals(202, accepted.statusCode(), accepted.bodyAsString());
      String queryId = accepted.bodyAsJsonObject().getString("queryId");
      assertTrue(waitUntil(30_000, () -> "DONE".equals(
          api.get("/api/v1/queries/" + queryId).bodyAsJsonObject().getString("status"))), "the query completes");
      String text = api.inbox(phone).getJsonObject(0).getString("text");
      assertTrue(text.startsWith("【一证通查】您的号码138****8000关联的互联网账号：微信"), text);
      assertTrue(Files.exists(base.resolve("redis").resolve("appendonly.aof")), "dev data is kept in the data folder");

      int status = node.terminate();
      assertTrue(status == 0 || status == 143, "SIGTERM stops the service (exit " + status + ")");
      assertTrue(waitUntil(5_000, () -> !alive(pid)), "its Redis stops with it");
      assertEquals(List.of(), redisProcessesUnder(base));
      assertFalse(Files.exists(base.resolve("redis").resolve("redis.pid")));
      client.close();
    }
  }

  @Test
  void killingTheServiceOutrightStillStopsItsRedis() throws Exception {
    Path base = Files.createTempDirectory("yzt-dev-data");
    try (NodeProcess node = NodeProcess.service("dev-embedded-kill", devConfigWithNoRedis(base), false)) {
      long pid = redisPid(base);
      assertTrue(alive(pid));
      node.kill();
      assertTrue(waitUntil(5_000, () -> !alive(pid)), "the watchdog stops Redis once the JVM is gone");
      assertEquals(List.of(), redisProcessesUnder(base));
    }
  }

  @Test
  void aRedisLeftByAnEarlierRunIsReapedAndOneInUseIsNotTouched() throws Exception {
    Path base = Files.createTempDirectory("yzt-dev-data");
    try (EmbeddedRedis first = EmbeddedRedis.start(base)) {
      // our own JVM owns it and still runs: the folder is in use
      IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedRedis.start(base));
      assertTrue(refused.getMessage().contains("in use by process " + ProcessHandle.current().pid()), refused.getMessage());
      assertTrue(alive(first.pid()), "a Redis in use is left alone");

      // its owner gone (a pid that has exited), as after a kill -9 that the watchdog missed
      Process gone = new ProcessBuilder("true").start();
      gone.waitFor();
      Files.writeString(base.resolve("redis").resolve("redis.pid"), first.pid() + " " + gone.pid() + "\n");
      try (EmbeddedRedis second = EmbeddedRedis.start(base)) {
        assertTrue(waitUntil(5_000, () -> !alive(first.pid())), "the leftover is stopped");
        assertEquals(List.of(second.pid()), redisProcessesUnder(base).stream().map(ProcessHandle::pid).toList());
        assertTrue(RedisProbe.ping("127.0.0.1", second.port(), second.password(), 1000));
      }
    }
    assertEquals(List.of(), redisProcessesUnder(base));
  }

  @Test
  void theEmbeddedServerIsTheShippedSixPointTwoBinaryOnLoopbackWithItsDataInTheFolder() throws Exception {
    Path base = Files.createTempDirectory("yzt-dev-data");
    long pid;
    try (EmbeddedRedis redis = EmbeddedRedis.start(base)) {
      pid = redis.pid();
      String info = send(redis.port(), redis.password(), "INFO server");
      assertTrue(info.contains("redis_version:" + EmbeddedRedis.VERSION + "."), info);
      assertEquals("redis://127.0.0.1:" + redis.port() + "/0", redis.address());
      assertEquals("redis://:" + redis.password() + "@127.0.0.1:" + redis.port() + "/0", redis.url());
      String title = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"));
      assertTrue(title.contains("127.0.0.1:" + redis.port()), "bound to loopback only: " + title);
      assertEquals(List.of(pid), redisProcessesUnder(base).stream().map(ProcessHandle::pid).toList(),
          "the binary unpacked into the folder runs");
      assertTrue(Files.exists(base.resolve("redis").resolve("redis.pid")));
    }
    assertFalse(alive(pid), "close() waits for Redis to exit");
    assertFalse(Files.exists(base.resolve("redis").resolve("redis.pid")));
  }

  @Test
  void theEmbeddedRedisIsPrivateToTheUserWhoStartsIt() throws Exception {
    Path base = Files.createTempDirectory("yzt-dev-data");
    // a binary planted where the service unpacks its own: replaced, never run
    Path bin = Files.createDirectories(base.resolve("bin"));
    Path planted = EmbeddedRedis.binary(bin);
    Path pwned = base.resolve("pwned");
    Files.writeString(planted, "#!/bin/sh\ntouch " + pwned + "\nexec sleep 60\n");
    // the log is a link to a file of someone else's: not followed
    Path victim = Files.createTempFile("yzt-victim", ".txt");
    Files.createDirectories(base.resolve("redis"));
    Files.createSymbolicLink(base.resolve("redis").resolve("redis.log"), victim);
    try (EmbeddedRedis redis = EmbeddedRedis.start(base)) {
      assertFalse(Files.exists(pwned), "the planted binary did not run");
      assertEquals("", Files.readString(victim), "no write through a link");
      assertFalse(Files.isSymbolicLink(base.resolve("redis").resolve("redis.log")));
      // a password, which no command line shows
      assertTrue(redis.password().length() >= 32, "a random password");
      assertTrue(send(redis.port(), null, "PING").startsWith("-NOAUTH"), "nothing without the password");
      String cmdline = Files.readString(Path.of("/proc", Long.toString(redis.pid()), "cmdline"));
      assertFalse(cmdline.contains(redis.password()), "the password is not in the process list");
      for (String command : List.of("CONFIG GET dir", "MODULE LIST", "DEBUG SLEEP 0")) {
        String reply = send(redis.port(), redis.password(), command);
        assertTrue(reply.startsWith("-ERR unknown command"), command + " answered " + reply);
      }
      // folders and files for this user only
      for (Path p : List.of(base, base.resolve("bin"), base.resolve("redis"))) {
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
      }
      for (String f : List.of("redis.conf", "redis.pid", "redis.log")) {
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
            Files.getPosixFilePermissions(base.resolve("redis").resolve(f))), f);
      }
    }
    // a data folder that is a symbolic link is refused
    Path linked = Files.createTempDirectory("yzt-dev-data");
    Files.createSymbolicLink(linked.resolve("redis"), Files.createTempDirectory("yzt-elsewhere"));
    IllegalStateException refused = assertThrows(IllegalStateException.class, () -> EmbeddedRedis.start(linked));
    assertTrue(refused.getMessage().contains("symbolic link"), refused.getMessage());
    // no shared temporary folder when there is no private one
    String home = System.getProperty("user.home");
    try {
      System.setProperty("user.home", "/nonexistent-yzt-home");
      IllegalStateException noPlace = assertThrows(IllegalStateException.class,
          () -> RedisSelection.baseDir("", java.util.Map.of()));
      assertTrue(noPlace.getMessage().contains("redis.embeddedDir"), noPlace.getMessage());
    } finally {
      System.setProperty("user.home", home);
    }
  }

  /** One command on a fresh connection (after AUTH when a password is given); the first reply's text. */
  private static String send(int port, String password, String command) throws IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.setSoTimeout(2000);
      java.io.InputStream in = s.getInputStream();
      if (password != null) {
        s.getOutputStream().write(("AUTH " + password + "\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] ok = new byte[5];
        assertEquals(5, in.readNBytes(ok, 0, 5));
        assertEquals("+OK\r\n", new String(ok, StandardCharsets.US_ASCII));
      }
      s.getOutputStream().write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] buf = new byte[8192];
      int n = in.read(buf);
      return new String(buf, 0, Math.max(n, 0), StandardCharsets.US_ASCII);
    }
  }
}
