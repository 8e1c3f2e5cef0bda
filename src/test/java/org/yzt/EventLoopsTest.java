package org.yzt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** node.eventLoops: as configured, and one per core by default (not Vert.x's two per core). */
class EventLoopsTest {
  @Test
  void oneEventLoopPerCoreUnlessConfigured() throws Exception {
    JsonObject shipped = new JsonObject(Files.readString(Path.of("conf/config.json")));
    assertEquals(Runtime.getRuntime().availableProcessors(), Main.eventLoops(shipped), "the shipped default");
    assertEquals(Runtime.getRuntime().availableProcessors(), Main.eventLoops(new JsonObject()), "no node section");
    assertEquals(3, Main.eventLoops(new JsonObject().put("node", new JsonObject().put("eventLoops", 3))));
  }
}
