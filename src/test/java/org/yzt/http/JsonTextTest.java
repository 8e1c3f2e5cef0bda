package org.yzt.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The direct writer of string-only bodies says what Jackson says: the same object comes back when parsed. */
class JsonTextTest {
  @Test
  void stringObjectsAreWrittenDirectlyAndReadBackTheSame() {
    JsonObject answer = new JsonObject().put("queryId", "Ab-_09xyzAb-_09xyzAb-_").put("status", "ACCEPTED")
        .put("senderNumber", "10699000").put("deadline", "2026-11-30T08:00:00Z");
    assertEquals(answer.encode(), JsonText.encode(answer), "plain strings: byte for byte as Jackson");
    JsonObject odd = new JsonObject().put("q\"uote", "back\\slash \"x\" \n\t\u0001 \u2028 中文 é").put("", "");
    assertEquals(odd, new JsonObject(JsonText.encode(odd)), "escapes read back as the same strings");
    assertEquals("{}", JsonText.encode(new JsonObject()));
  }

  @Test
  void anythingElseGoesThroughJackson() {
    JsonObject mixed = new JsonObject().put("a", "x").put("n", 1).put("l", new JsonArray().add("y"));
    assertEquals(mixed.encode(), JsonText.encode(mixed));
  }
}
