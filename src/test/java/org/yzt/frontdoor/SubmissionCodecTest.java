package org.yzt.frontdoor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.yzt.contract.Submission;

/**
 * The gateway's submission message: within a JVM the record itself is delivered; across the cluster
 * it is the JSON form of yzt.query.submit (README), so a node receiving it from the wire gets the same
 * submission, and a JSON body from another system means the same.
 */
class SubmissionCodecTest {
  private final Submission.Codec codec = new Submission.Codec();

  @Test
  void theWireCarriesTheJsonFormAndBringsBackTheSameSubmission() {
    for (Submission s : new Submission[] {
        new Submission("13800138000", "12345X", "482913", "198.51.100.9", null, null, "c9994842ec38931d"),
        new Submission("13800138000", "12345X", "482913", "198.51.100.9", "retry-1", "ab12", "c9994842ec38931d")}) {
      Buffer wire = Buffer.buffer().appendString("xyz"); // at an offset, as in a cluster frame
      codec.encodeToWire(wire, s);
      assertEquals(s, codec.decodeFromWire(3, wire));
      int length = wire.getInt(3);
      JsonObject json = new JsonObject(wire.getBuffer(7, 7 + length));
      assertEquals(s, Submission.of(json), "the JSON form is the documented message");
      assertEquals(s.idempotencyKey() != null, json.containsKey("idempotencyKey"));
      assertSame(s, codec.transform(s), "local delivery: the record itself");
    }
  }

  @Test
  void aJsonBodyMeansTheSameSubmission() {
    JsonObject body = new JsonObject().put("phone", "13800138000").put("idLast6", "12345X").put("smsCode", "482913")
        .put("client", "198.51.100.9").put("requestId", "r1");
    assertEquals(new Submission("13800138000", "12345X", "482913", "198.51.100.9", null, null, "r1"),
        Submission.of(body));
  }
}
