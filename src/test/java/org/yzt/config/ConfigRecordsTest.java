package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.yzt.config.ConfigValuesTest.refusal;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The records read their sections as an operator writes them: the values given, not the defaults;
 * the bounds a value may take (inclusive); the rules across keys; and a refusal that names the key.
 */
class ConfigRecordsTest {
  private Set<String> readBefore;

  // the made-up keys read here must not count as keys the service reads (ConfigDefaultsTest)
  @BeforeEach
  void rememberReadKeys() {
    readBefore = Set.copyOf(ConfigValues.READ);
  }

  @AfterEach
  void forgetMadeUpKeys() {
    ConfigValues.READ.retainAll(readBefore);
  }

  private static JsonObject section(String name, Object... kv) {
    JsonObject s = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      s.put((String) kv[i], kv[i + 1]);
    }
    return new JsonObject().put(name, s);
  }

  @Test
  void httpTakesEveryValueGivenAndPortZero() {
    HttpConfig h = HttpConfig.from(section("http", "port", 0, "host", "::", "maxBodyBytes", 1,
        "trustedProxies", new JsonArray().add("10.0.0.0/8"), "ipv6PrefixLength", 56, "ipv6SitePrefixLength", 40,
        "opsPort", "9100", "opsHost", "0.0.0.0"));
    assertEquals(new HttpConfig(0, "::", 1, List.of("10.0.0.0/8"), 56, 40, 9100, "0.0.0.0"), h);
    assertEquals("http.maxBodyBytes must be positive", refusal(() -> HttpConfig.from(section("http", "maxBodyBytes", 0))));
    assertEquals("http.port must be at least 0", refusal(() -> HttpConfig.from(section("http", "port", -1))));
  }

  @Test
  void simulatorsAndTheirInbox() {
    JsonObject c = section("simulators", "enabled", "false", "port", 0, "subscribersFile", "/s.json", "latencyMs", 0,
        "maxNonces", 1, "smsInbox", new JsonObject().put("perNumber", 2).put("maxNumbers", 3).put("maxMessages", 4));
    assertEquals(new SimulatorsConfig(false, 0, "/s.json", 0, 1, 2, 3, 4), SimulatorsConfig.from(c));
    c.getJsonObject("simulators").getJsonObject("smsInbox").put("perNumber", 0);
    assertEquals("simulators.smsInbox.perNumber must be positive", refusal(() -> SimulatorsConfig.from(c)));
    assertEquals("simulators.smsInbox must be an object",
        refusal(() -> SimulatorsConfig.from(section("simulators", "smsInbox", 5))));
  }

  @Test
  void clusterAndItsTlsFiles() {
    JsonObject c = section("cluster", "name", "n", "host", "10.0.0.1", "port", 1, "keyExchangePort", 0,
        "members", new JsonArray().add("10.0.0.2:5701"), "tlsHandshakeTimeoutMs", 1, "eventBusPort", 0,
        "tls", new JsonObject().put("certFile", "/c").put("keyFile", "/k").put("caFile", "/ca"));
    ClusterConfig cluster = ClusterConfig.from(c);
    assertEquals(new ClusterConfig("n", "10.0.0.1", 1, 0, List.of("10.0.0.2:5701"), "/c", "/k", "/ca", 1, 0), cluster);
    assertEquals(new JsonObject().put("certFile", "/c").put("keyFile", "/k").put("caFile", "/ca"), cluster.tls());
    assertEquals("cluster.port must be positive", refusal(() -> ClusterConfig.from(section("cluster", "port", 0))));
    assertEquals("cluster.tls.certFile must be a string",
        refusal(() -> ClusterConfig.from(section("cluster", "tls", new JsonObject().put("certFile", 1)))));
  }

  @Test
  void tracingIsOnOnlyWithAnEndpoint() {
    TracingConfig t = TracingConfig.from(section("tracing", "otlpEndpoint", "http://c:4318/v1/traces",
        "sampleRatio", 1, "serviceName", "s"));
    assertEquals(new TracingConfig("http://c:4318/v1/traces", 1.0, "s"), t);
    assertTrue(t.enabled());
    assertFalse(TracingConfig.from(section("tracing", "otlpEndpoint", " ")).enabled(), "a blank endpoint is none");
    assertEquals("tracing.sampleRatio must be from 0 to 1",
        refusal(() -> TracingConfig.from(section("tracing", "sampleRatio", 1.5))));
  }

  @Test
  void aNodeRunsEveryRoleUnlessItNamesSome() {
    assertEquals(new NodeConfig(List.of("all"), 0), NodeConfig.from(new JsonObject()));
    assertEquals(new NodeConfig(List.of("gateway", "sms"), 2),
        NodeConfig.from(section("node", "roles", new JsonArray().add("gateway").add("sms"), "eventLoops", 2)));
    assertEquals(List.of(), NodeConfig.from(section("node", "roles", new JsonArray())).roles(), "an empty list is none");
  }

  @Test
  void eachVerticleCountMustBeGiven() {
    VerticlesConfig v = VerticlesConfig.from(new JsonObject().put("verticles", new JsonObject()
        .put("gateway", new JsonObject().put("instances", 0))
        .put("carrier", new JsonObject().put("instances", 3).put("poolSize", 1))
        .put("big", new JsonObject().put("instances", Integer.MAX_VALUE + 1L))));
    assertEquals(0, v.instances("gateway"));
    assertEquals(3, v.instances("carrier"));
    assertEquals(1, v.carrierPoolSize());
    assertEquals("verticles.sms.instances is missing", refusal(() -> v.instances("sms")));
    assertEquals("verticles.big.instances is too large", refusal(() -> v.instances("big")));
    assertEquals("verticles.carrier.poolSize must be positive", refusal(() -> VerticlesConfig.from(new JsonObject()
        .put("verticles", new JsonObject().put("carrier", new JsonObject().put("poolSize", 0)))).carrierPoolSize()));
    assertEquals(Integer.MAX_VALUE, VerticlesConfig.from(new JsonObject().put("verticles", new JsonObject()
        .put("x", new JsonObject().put("instances", Integer.MAX_VALUE)))).instances("x"));
  }

  @Test
  void thePageShowsTheFilledInTextsInOrder() {
    JsonObject contact = new JsonObject().put("phone", "400-000").put("name", "Ops").put("email", " ")
        .put("hours", 9).put("wechat", "yzt-ops");
    PageConfig p = PageConfig.from(section("page", "operatorContact", contact));
    assertEquals(List.of("phone", "name", "wechat"), List.copyOf(p.operatorContact().keySet()));
    assertEquals(Map.of("phone", "400-000", "name", "Ops", "wechat", "yzt-ops"), p.operatorContact());
    assertThrows(UnsupportedOperationException.class, () -> p.operatorContact().put("x", "y"));
    assertEquals(Map.of(), PageConfig.from(new JsonObject()).operatorContact());
  }

  @Test
  void embeddedRedisSecurityAndTheSmallSections() {
    assertEquals(new EmbeddedRedisConfig(false, "/var/r"),
        EmbeddedRedisConfig.from(section("redis", "embedded", false, "embeddedDir", "/var/r")));
    SecurityConfig s = SecurityConfig.from(section("security", "dataKey", "secret-key-text",
        "previousDataKeys", new JsonArray().add("old-key-one").add("old-key-two")));
    assertEquals("secret-key-text", s.dataKey());
    assertEquals(List.of("old-key-one", "old-key-two"), s.previousDataKeys());
    assertEquals("SecurityConfig[previousDataKeys=2]", s.toString());
    assertNull(SecurityConfig.from(new JsonObject()).dataKey(), "no key of its own");
    assertEquals(new HttpClientConfig(1, 0), HttpClientConfig.from(section("http",
        "client", new JsonObject().put("maxResponseBytes", 1).put("maxWaitQueue", 0))));
    assertEquals("http.client.maxWaitQueue must be at least 0", refusal(() -> HttpClientConfig.from(section("http",
        "client", new JsonObject().put("maxWaitQueue", -1)))));
    assertEquals(new LimitsConfig(1), LimitsConfig.from(section("limits", "queryWindowSeconds", 1)));
    assertEquals(new SmsCodeConfig(1, 2, 3, 4), SmsCodeConfig.from(section("smsCode", "ttlSeconds", 1,
        "resendSeconds", 2, "maxPerDay", 3, "maxAttempts", 4)));
  }

  @Test
  void aLimitNeedsBothNumbers() {
    JsonObject c = new JsonObject().put("limits", new JsonObject()
        .put("perIp", new JsonObject().put("captcha", new JsonObject().put("max", 1).put("windowSeconds", 2)))
        .put("g", new JsonObject().put("big", new JsonObject().put("max", Integer.MAX_VALUE + 1L).put("windowSeconds", 1))
            .put("top", new JsonObject().put("max", Integer.MAX_VALUE).put("windowSeconds", 1))
            .put("half", new JsonObject().put("max", 1))));
    assertEquals(new Limit(1, 2000), Limit.of(c, "captcha"));
    assertEquals(Integer.MAX_VALUE, Limit.at(c, "g", "top").max());
    assertEquals("limits.g.big.max is too large", refusal(() -> Limit.at(c, "g", "big")));
    assertEquals("limits.g.half.windowSeconds is missing", refusal(() -> Limit.at(c, "g", "half")));
    assertEquals("limits.perIp.nothing.max is missing", refusal(() -> Limit.of(c, "nothing")));
  }

  @Test
  void redisTypesAndWhatEachNeeds() {
    JsonArray urls = new JsonArray().add("redis://s1:26379");
    RedisConfig sentinel = RedisConfig.from(section("redis", "type", "sentinel", "endpoints", urls, "masterName", "m",
        "connectionString", "redis://h:1/0", "tls", new JsonObject().put("caFile", "/ca"), "maxPoolSize", 1,
        "maxPoolWaiting", -1, "maxWaitingHandlers", 1, "waitReplicas", 0, "waitTimeoutMs", RedisConfig.MAX_WAIT_MS,
        "commandTimeoutMs", 1, "roleCheckMs", 0));
    assertEquals(new RedisConfig(RedisConfig.Type.SENTINEL, "redis://h:1/0", List.of("redis://s1:26379"), "m", "/ca",
        1, -1, 1, 0, RedisConfig.MAX_WAIT_MS, 1, 0), sentinel);
    assertEquals(RedisConfig.Type.CLUSTER, RedisConfig.from(section("redis", "type", "cluster", "endpoints", urls)).type());
    assertEquals(RedisConfig.Type.STANDALONE, RedisConfig.from(new JsonObject()).type());
    assertEquals("redis.type sentinel needs redis.endpoints (sentinel URLs) and redis.masterName",
        refusal(() -> RedisConfig.from(section("redis", "type", "sentinel"))));
    assertEquals("redis.type sentinel needs redis.endpoints (sentinel URLs) and redis.masterName",
        refusal(() -> RedisConfig.from(section("redis", "type", "sentinel", "endpoints", urls, "masterName", " "))));
    assertEquals("redis.type cluster needs redis.endpoints (URLs of some of its masters)",
        refusal(() -> RedisConfig.from(section("redis", "type", "cluster"))));
    assertEquals("redis.type must be standalone, sentinel or cluster, not Sentinel",
        refusal(() -> RedisConfig.from(section("redis", "type", "Sentinel"))));
    assertEquals("redis.waitTimeoutMs must be between 1 and 1000",
        refusal(() -> RedisConfig.from(section("redis", "waitTimeoutMs", RedisConfig.MAX_WAIT_MS + 1))));
    assertEquals("redis.maxPoolWaiting must be at least -1",
        refusal(() -> RedisConfig.from(section("redis", "maxPoolWaiting", -2))));
  }

  @Test
  void aRedisOffLoopbackNeedsAPasswordNotJustAUserOrAColon() {
    for (String url : List.of("rediss://yzt:@redis.example.cn:6380/0", "rediss://yzt@redis.example.cn:6380/0",
        "rediss://:@redis.example.cn:6380/0")) {
      assertEquals(List.of("redis.connectionString is a Redis off loopback without credentials; prod needs "
          + "rediss://user:password@… (or redis.allowPlaintext: true for a private network you vouch for)"),
          RedisProdCheck.problems(new JsonObject().put("connectionString", url)), url);
    }
    assertEquals(List.of(), RedisProdCheck.problems(new JsonObject().put("connectionString", "rediss://yzt:p@redis.example.cn:6380/0")));
    assertEquals(List.of("redis.connectionString is not a URL"),
        RedisProdCheck.problems(new JsonObject().put("connectionString", "redis://bad host:1")));
  }

  @Test
  void smsBaseUrlLosesItsTrailingSlashesAndSecondsBecomeMilliseconds() {
    SmsConfig s = SmsConfig.from(new JsonObject().put("baseUrl", "https://gw.example.cn/sms//").put("sender", "106")
        .put("keyId", "k").put("secret", "x").put("timeoutMs", 1).put("codeDeliverySeconds", 2).put("maxPoolSize", 3)
        .put("maxWaitQueue", 4).put("retryInitialMs", 5).put("retryMaxMs", 6).put("minAttemptMs", 7).put("maxInFlight", 8));
    assertEquals(new SmsConfig("106", "https://gw.example.cn/sms", "k", "x", 1, 2000, 3, 4, 5, 6, 7, 8), s);
    assertEquals("sms.codeDeliverySeconds must be positive",
        refusal(() -> SmsConfig.from(new JsonObject().put("codeDeliverySeconds", 0))));
  }

  @Test
  void aCarrierIsFoundByItsNumbersPrefix() {
    JsonObject c = new JsonObject().put("carriers", new JsonArray()
        .add(new JsonObject().put("id", "a").put("prefixes", new JsonArray().add("134").add(135)).put("baseUrl", "u")
            .put("keyId", "k").put("secret", "s").put("timeoutMs", 10).put("circuitMaxFailures", 1).put("circuitResetMs", 1))
        .add(new JsonObject().put("id", "b").put("name", "B").put("prefixes", new JsonArray().add("130")).put("timeoutMs", 30)));
    List<CarrierConfig> carriers = CarrierConfig.all(c);
    CarrierConfig a = carriers.get(0);
    assertEquals(new CarrierConfig("a", "a", Set.of("134", "135"), "u", "k", "s", 10, 1, 1), a, "the name falls back to the id");
    assertEquals("B", carriers.get(1).name());
    assertEquals(30, CarrierConfig.longestTimeoutMs(carriers));
    assertEquals(0, CarrierConfig.longestTimeoutMs(List.of()));
    assertEquals("a", CarrierConfig.forPhone(carriers, "13512345678").id());
    assertEquals("b", CarrierConfig.forPhone(carriers, "130").id(), "three digits are a prefix");
    assertNull(CarrierConfig.forPhone(carriers, "13"));
    assertNull(CarrierConfig.forPhone(carriers, null));
    assertNull(CarrierConfig.forPhone(carriers, "18912345678"));
    assertEquals(List.of(), CarrierConfig.all(new JsonObject()));
    assertEquals("carriers[].circuitMaxFailures must be positive", refusal(() -> CarrierConfig.all(new JsonObject()
        .put("carriers", new JsonArray().add(new JsonObject().put("id", "x").put("circuitMaxFailures", 0))))));
  }

  @Test
  void anEnterpriseNeedsItsPeerDetailsAndQueuesFourPerSlotByDefault() {
    JsonObject e = new JsonObject().put("id", "t").put("apps", new JsonArray().add("WeChat")).put("baseUrl", "u")
        .put("keyId", "k").put("secret", "s").put("maxConcurrency", 3);
    EnterpriseConfig read = EnterpriseConfig.from(e);
    assertEquals(new EnterpriseConfig("t", "t", List.of("WeChat"), "", "", "u", "k", "s", 3000, 3, 12, 20, 5000), read);
    assertEquals(0, EnterpriseConfig.from(e.copy().put("maxQueue", 0)).maxQueue());
    for (String key : List.of("id", "baseUrl", "keyId", "secret")) {
      assertEquals("enterprises[]." + key + " is missing", refusal(() -> EnterpriseConfig.from(withoutKey(e, key))));
      assertEquals("enterprises[]." + key + " is missing", refusal(() -> EnterpriseConfig.from(e.copy().put(key, " "))));
    }
    assertEquals(List.of(read, read), EnterpriseConfig.all(new JsonObject().put("enterprises", new JsonArray().add(e).add(e))));
    assertEquals(List.of(), EnterpriseConfig.all(new JsonObject()));
  }

  private static JsonObject withoutKey(JsonObject o, String key) {
    JsonObject c = o.copy();
    c.remove(key);
    return c;
  }

  @Test
  void captchaModesAndBounds() {
    CaptchaConfig fixed = CaptchaConfig.from(section("captcha", "mode", "fixed", "fixedAnswer", " ab12 ", "ttlSeconds", 1,
        "poolSize", 0, "audioPoolSize", 0, "maxRendersInFlight", 1));
    assertEquals(new CaptchaConfig(true, "AB12", 1, 0, 0, 1), fixed);
    assertEquals("CaptchaConfig[mode=fixed, ttlSeconds=1, poolSize=0, audioPoolSize=0, maxRendersInFlight=1]",
        fixed.toString(), "never the answer");
    CaptchaConfig image = CaptchaConfig.from(section("captcha", "mode", "image", "poolSize", CaptchaConfig.MAX_POOL_SIZE,
        "audioPoolSize", CaptchaConfig.MAX_AUDIO_POOL_SIZE));
    assertFalse(image.fixed());
    assertNull(image.fixedAnswer());
    assertEquals(CaptchaConfig.MAX_POOL_SIZE, image.poolSize());
    JsonObject prod = section("captcha", "mode", "fixed").put("profile", "prod");
    assertEquals("captcha.mode \"fixed\" is not allowed in prod", refusal(() -> CaptchaConfig.from(prod)));
    assertEquals("captcha.mode must be \"image\" or \"fixed\"",
        refusal(() -> CaptchaConfig.from(section("captcha", "mode", "Fixed"))));
    assertEquals("captcha.poolSize must be 0 to 100000",
        refusal(() -> CaptchaConfig.from(section("captcha", "poolSize", CaptchaConfig.MAX_POOL_SIZE + 1))));
    assertEquals("captcha.audioPoolSize must be 0 to 10000",
        refusal(() -> CaptchaConfig.from(section("captcha", "audioPoolSize", CaptchaConfig.MAX_AUDIO_POOL_SIZE + 1))));
    assertEquals("captcha.fixedAnswer must be 1 to 16 characters in \"fixed\" mode",
        refusal(() -> CaptchaConfig.from(section("captcha", "mode", "fixed", "fixedAnswer", " "))));
    String longest = "A".repeat(CaptchaConfig.MAX_ANSWER_CHARS);
    assertEquals(longest, CaptchaConfig.from(section("captcha", "mode", "fixed", "fixedAnswer", longest)).fixedAnswer());
    assertEquals("captcha.fixedAnswer must be 1 to 16 characters in \"fixed\" mode",
        refusal(() -> CaptchaConfig.from(section("captcha", "mode", "fixed", "fixedAnswer", longest + "A"))));
    // the constructor's own checks, for a record built in code
    assertEquals("captcha.maxRendersInFlight must be positive", refusal(() -> new CaptchaConfig(false, null, 1, 0, 0, 0)));
    assertEquals("captcha.ttlSeconds must be at least 1", refusal(() -> new CaptchaConfig(false, null, 0, 0, 0, 1)));
    assertEquals("captcha.poolSize must be 0 to 100000", refusal(() -> new CaptchaConfig(false, null, 1, -1, 0, 1)));
    assertEquals("captcha.audioPoolSize must be 0 to 10000", refusal(() -> new CaptchaConfig(false, null, 1, 0, -1, 1)));
    assertEquals("captcha.fixedAnswer must be 1 to 16 characters in \"fixed\" mode",
        refusal(() -> new CaptchaConfig(true, null, 1, 0, 0, 1)));
  }

  @Test
  void pipelineRetriesNeverShrinkAndSecondsBecomeMilliseconds() {
    JsonObject p = new JsonObject().put("retryInitialMs", 5).put("retryMaxMs", 5).put("deadlineSeconds", 2)
        .put("smsGraceSeconds", 0).put("deadLetterRetentionSeconds", 3);
    PipelineConfig read = PipelineConfig.from(p);
    assertEquals(5, read.retryMaxMs(), "a cap equal to the first delay is a fixed delay");
    assertEquals(2000, read.deadlineMs());
    assertEquals(0, read.smsGraceMs());
    assertEquals(3000, read.deadLetterRetentionMs());
    assertEquals(new org.yzt.time.Backoff(5, 5), read.backoff(), "the retry schedule is the one configured");
    assertEquals("pipeline.retryMaxMs must be at least pipeline.retryInitialMs",
        refusal(() -> PipelineConfig.from(p.copy().put("retryMaxMs", 4))));
    assertEquals("pipeline.blockMs must be at least 10", refusal(() -> PipelineConfig.from(new JsonObject().put("blockMs", 9))));
  }
}
