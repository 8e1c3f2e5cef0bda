package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yzt.contract.Addresses;
import org.yzt.store.HashSlots;
import org.yzt.store.RedisKeys;
import org.yzt.testing.Api;
import org.yzt.testing.BusHops;
import org.yzt.testing.Layout;
import org.yzt.testing.Numbers;
import org.yzt.testing.RedisClusterSet;
import org.yzt.testing.RedisMonitor;
import org.yzt.testing.RedisProcess;
import org.yzt.testing.RedisSetExtension;
import org.yzt.testing.TestService;
import org.yzt.testing.Wait;

/**
 * What a captcha and a code cost on a Redis Cluster, counted rather than timed (issue 23 item 4): the
 * commands clients sent to the three masters (MONITOR on each) and event-bus hops. SPEC §11 lets steps of
 * different slots take round trips of their own; a captcha is issued in the slot of its client's per-IP
 * logs, so an IPv4 client's captcha is one script with its limits, and its code's limit and captcha one
 * script before the budgets' and the number's (four round trips and three hops before, a captcha two and
 * two): each round trip is a wakeup of a master, which is most of what a cluster's flow costs beyond one
 * Redis's (bench/README.md). FrontDoorCostTest counts the same on standalone.
 */
class RedisClusterCostTest {
  private static final int CODES = 4;
  /** What nodes do by themselves (the client's slot map, readiness, gauges), not counted as a request's. */
  private static final Set<String> BACKGROUND = Set.of("CLUSTER", "INFO", "PING", "ROLE", "ECHO", "XLEN", "XPENDING",
      "ZCARD", "XINFO", "ZRANGEBYSCORE", "XREADGROUP");

  // the pipeline off: nothing else talks to Redis while the requests are counted; clients named by
  // X-Forwarded-For (each its own per-IP logs, in slots all over the masters)
  @RegisterExtension
  static final RedisSetExtension<RedisClusterSet> app = RedisSetExtension.cluster(new JsonObject()
      .put("verticles", new JsonObject().put("pipeline", new JsonObject().put("instances", 0)))
      .put("http", new JsonObject().put("trustedProxies", new JsonArray().add("127.0.0.1"))));

  private record Cost(List<String> roundTrips, Map<String, Integer> hops) {}

  private static Cost count(Runnable requests) {
    List<RedisMonitor> monitors = new ArrayList<>();
    List<String> sent = new ArrayList<>();
    Map<String, Integer> hops;
    try (BusHops bus = BusHops.count(app.service().vertx().eventBus())) {
      for (RedisProcess master : app.redis().masters()) {
        monitors.add(RedisMonitor.start(master.port()));
      }
      requests.run();
      for (RedisMonitor m : monitors) {
        m.commands().stream().filter(c -> !c.fromScript() && !BACKGROUND.contains(c.name()))
            .forEach(c -> sent.add(c.name()));
      }
      hops = bus.hops();
    } finally {
      monitors.forEach(RedisMonitor::close);
    }
    Collections.sort(sent);
    return new Cost(sent, hops);
  }

  @Test
  void anIpv4ClientsCaptchaIsOneRoundTripBehindOneHop() {
    Api api = app.api().as("198.51.100.21");
    Wait.await(30_000, "the captcha pool holds " + CODES + " images", () -> api.metric("yzt_captcha_pool_ready") >= CODES);
    Cost cost = count(() -> {
      for (int i = 0; i < CODES; i++) {
        HttpResponse<Buffer> r = api.send(HttpMethod.POST, "/api/v1/captcha", null, null, null);
        assertEquals(201, r.statusCode(), r.bodyAsString());
      }
    });
    System.out.printf("cluster, per captcha: round trips %s, hops %s%n", cost.roundTrips(), cost.hops());
    assertEquals(Collections.nCopies(CODES, "EVALSHA"), cost.roundTrips(), "Redis round trips (the limits and the SET)");
    assertEquals(Map.of(Addresses.CAPTCHA_ISSUE_IN_SLOT, CODES), cost.hops(), "event-bus hops");
  }

  @Test
  void anIpv4ClientsCodeIsThreeRoundTripsBehindOneHop() {
    List<String> phones = new ArrayList<>();
    List<String> captchas = new ArrayList<>();
    List<Api> clients = new ArrayList<>();
    for (int i = 0; i < CODES; i++) {
      Api api = app.api().as("198.51.100." + (40 + i)); // clients on different masters
      clients.add(api);
      phones.add(Numbers.fresh());
      captchas.add(api.captchaId());
    }
    Cost cost = count(() -> {
      for (int i = 0; i < CODES; i++) {
        HttpResponse<Buffer> r = clients.get(i).postJson("/api/v1/sms-codes", new JsonObject()
            .put("phone", phones.get(i)).put("captchaId", captchas.get(i)).put("captchaCode", TestService.CAPTCHA));
        assertEquals(202, r.statusCode(), r.bodyAsString());
      }
    });
    System.out.printf("cluster, per code: round trips %s, hops %s%n", cost.roundTrips(), cost.hops());
    // the limit and the captcha (lua/code_gate.lua), the budgets (sms_budget.lua), the number's step
    // (sms_code_issue.lua): no limiter's script and GETDEL apart
    assertEquals(Collections.nCopies(3 * CODES, "EVALSHA"), cost.roundTrips(), "Redis round trips");
    assertEquals(Map.of(Addresses.SMSCODE_SEND_IN_SLOT, CODES, Addresses.SMS_SEND, CODES), cost.hops(),
        "event-bus hops (the code's, and its text's to the SMS service)");
    // no command went to a master that does not hold its slot, and no script had to be loaded on the way
    for (RedisProcess master : app.redis().masters()) {
      String errors = master.cli("INFO", "errorstats");
      System.out.printf("cluster, master %d: %s%n", master.port(), errors.replace("\n", " ").trim());
      for (String error : new String[] {"MOVED", "ASK", "NOSCRIPT", "CROSSSLOT"}) {
        assertEquals(false, errors.contains("errorstat_" + error + ":"), master.port() + ": " + errors);
      }
    }
  }

  /** A client with an IPv6 site (its site's log in another slot) takes the steps one by one, as before. */
  @Test
  void anIpv6ClientWithASiteTakesTheStepsOneByOne() {
    Api api = app.api().as("2001:db8:5:7::1");
    String phone = Numbers.fresh();
    String captcha = api.captchaId();
    Cost cost = count(() -> {
      HttpResponse<Buffer> r = api.postJson("/api/v1/sms-codes", new JsonObject()
          .put("phone", phone).put("captchaId", captcha).put("captchaCode", TestService.CAPTCHA));
      assertEquals(202, r.statusCode(), r.bodyAsString());
    });
    System.out.printf("cluster, an IPv6 client's code: round trips %s, hops %s%n", cost.roundTrips(), cost.hops());
    assertEquals(Map.of(Addresses.RATELIMIT_ACQUIRE, 1, Addresses.CAPTCHA_VERIFY, 1, Addresses.SMSCODE_SEND, 1,
        Addresses.SMS_SEND, 1), cost.hops(), "event-bus hops");
    // the wrong answer to a captcha issued to it is refused, and the captcha is used up
    String other = api.captchaId();
    HttpResponse<Buffer> wrong = api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", Numbers.fresh()).put("captchaId", other).put("captchaCode", "WRONG1"));
    assertEquals(400, wrong.statusCode(), wrong.bodyAsString());
    assertEquals("CAPTCHA_INVALID", Api.errorCode(wrong));
  }

  /** On a cluster a captcha's id names the slot of its client's per-IP logs (standalone keeps 22 characters). */
  @Test
  void aCaptchaIdNamesItsClientsSlot() {
    Api api = app.api().as("198.51.100.71");
    String id = api.captchaId();
    assertEquals(RedisKeys.CAPTCHA_ID_LENGTH, id.length(), id);
    String key = Layout.KEYS.captcha(id);
    assertEquals("1", app.redis().masterOf(HashSlots.slot(key)).cli("EXISTS", key).trim(), "the captcha's key");
  }

  /** A wrong answer, and a captcha used twice, are refused in the one script as in the separate steps. */
  @Test
  void anIpv4ClientsWrongOrReusedCaptchaIsRefused() {
    Api api = app.api().as("198.51.100.61");
    String invalid = "yzt_captcha_verified_total\\{[^}]*result=\"invalid\"[^}]*\\}";
    double before = api.metric(invalid);
    String captcha = api.captchaId();
    HttpResponse<Buffer> wrong = api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", Numbers.fresh()).put("captchaId", captcha).put("captchaCode", "WRONG1"));
    assertEquals(400, wrong.statusCode(), wrong.bodyAsString());
    assertEquals("CAPTCHA_INVALID", Api.errorCode(wrong));
    HttpResponse<Buffer> again = api.postJson("/api/v1/sms-codes", new JsonObject()
        .put("phone", Numbers.fresh()).put("captchaId", captcha).put("captchaCode", TestService.CAPTCHA));
    assertEquals(400, again.statusCode(), again.bodyAsString());
    assertEquals("CAPTCHA_INVALID", Api.errorCode(again));
    // counted as the captcha service counts them (the same meter, whichever step checked it)
    assertEquals(2.0, api.metric(invalid) - (Double.isNaN(before) ? 0 : before), "invalid captchas counted");
  }
}
