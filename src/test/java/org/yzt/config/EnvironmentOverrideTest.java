package org.yzt.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * SPEC §5: a {@code YZT_<PATH>} variable overrides one value, found by its path's segments (keys
 * case-insensitively, array indexes by number), and takes the type of the value it replaces.
 */
class EnvironmentOverrideTest {
  static JsonObject set(JsonObject root, String path, String value) {
    ConfigLoader.setPath(root, path.split("_"), value);
    return root;
  }

  @Test
  void aValueTakesTheTypeOfTheOneItReplaces() {
    JsonObject c = new JsonObject().put("http", new JsonObject().put("port", 8080).put("ratio", 0.5)
        .put("on", false).put("name", "x").put("list", new JsonArray()).put("obj", new JsonObject()));
    assertEquals(9090L, set(c, "HTTP_PORT", " 9090 ").getJsonObject("http").getValue("port"));
    assertEquals(0.25, set(c, "HTTP_RATIO", "0.25").getJsonObject("http").getValue("ratio"));
    assertEquals(true, set(c, "HTTP_ON", "true").getJsonObject("http").getValue("on"));
    assertEquals(" y ", set(c, "HTTP_NAME", " y ").getJsonObject("http").getValue("name"), "a string is kept as given");
    assertEquals(new JsonArray().add(1).add(2), set(c, "HTTP_LIST", "[1,2]").getJsonObject("http").getValue("list"));
    assertEquals(new JsonObject().put("a", 1), set(c, "HTTP_OBJ", "{\"a\":1}").getJsonObject("http").getValue("obj"));
    assertNull(set(c, "HTTP_NAME", null).getJsonObject("http").getValue("name"));
  }

  @Test
  void aNewKeyIsJsonWhenItLooksLikeJsonAndTextOtherwise() {
    JsonObject c = new JsonObject().put("redis", new JsonObject());
    assertEquals(new JsonArray().add("a"), set(c, "REDIS_ENDPOINTS", "[\"a\"]").getJsonObject("redis").getValue("endpoints"));
    assertEquals(new JsonObject().put("x", true), set(c, "REDIS_TLS", "{\"x\":true}").getJsonObject("redis").getValue("tls"));
    assertEquals("sentinel", set(c, "REDIS_TYPE", "sentinel").getJsonObject("redis").getValue("type"));
    // keys that do not exist yet: lower-case, objects made on the way
    assertEquals("v", set(new JsonObject(), "NEW_DEEPER_KEY", "v").getJsonObject("new").getJsonObject("deeper").getValue("key"));
  }

  @Test
  void keysMatchWhateverTheirCaseAndTheLastSegmentIsTheOneSet() {
    JsonObject c = new JsonObject().put("smsCode", new JsonObject().put("ttlSeconds", 300));
    set(c, "SMSCODE_TTLSECONDS", "60");
    assertEquals(new JsonObject().put("smsCode", new JsonObject().put("ttlSeconds", 60L)), c);
  }

  @Test
  void arraysAreIndexedByNumberWithinTheirBounds() {
    JsonObject c = new JsonObject().put("carriers", new JsonArray()
        .add(new JsonObject().put("timeoutMs", 3000)).add(new JsonObject().put("timeoutMs", 3000)));
    set(c, "CARRIERS_1_TIMEOUTMS", "500");
    assertEquals(3000, c.getJsonArray("carriers").getJsonObject(0).getValue("timeoutMs"));
    assertEquals(500L, c.getJsonArray("carriers").getJsonObject(1).getValue("timeoutMs"));
    set(c, "CARRIERS_0", "{\"id\":\"x\"}");
    assertEquals(new JsonObject().put("id", "x"), c.getJsonArray("carriers").getValue(0));
    assertThrows(IllegalArgumentException.class, () -> set(c, "CARRIERS_2_TIMEOUTMS", "1"), "one past the end");
    assertThrows(IllegalArgumentException.class, () -> set(c, "CARRIERS_-1", "1"));
    assertThrows(IllegalArgumentException.class, () -> set(c, "CARRIERS_FIRST", "1"));
    assertThrows(IllegalArgumentException.class, () -> set(new JsonObject().put("a", 1), "A_B", "1"), "below a plain value");
  }
}
