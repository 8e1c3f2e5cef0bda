package org.yzt.ops;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What SPEC §8, §11 and §12 ask to be documented is in the repository's own documents (the README
 * and {@code docs/}), so a person who clones it finds it.
 */
class DocumentationTest {
  static String allDocs() throws IOException {
    StringBuilder text = new StringBuilder(Files.readString(Path.of("README.md"), StandardCharsets.UTF_8));
    try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
      for (Path p : docs.filter(p -> p.toString().endsWith(".md")).sorted().toList()) {
        text.append('\n').append(Files.readString(p, StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }

  @Test
  void everyEventBusAddressOfSection8IsDocumented() throws Exception {
    String docs = allDocs();
    for (String address : List.of("yzt.captcha.issue", "yzt.captcha.verify", "yzt.ratelimit.acquire", "yzt.smscode.send",
        "yzt.query.submit", "yzt.query.status", "yzt.carrier.verify", "yzt.enterprise.count.", "yzt.sms.send")) {
      assertTrue(docs.contains(address), address + " is documented");
    }
  }

  @Test
  void theOperationsOfSection11AreDocumented() throws Exception {
    String docs = allDocs();
    for (String op : List.of("admin pause-codes", "resume-codes", "dead-letters list", "redrive", "redrive-all", "--help",
        "--version", "SIGTERM", "rediss://", "redis.tls.caFile", "masterName", "redis.waitReplicas", "cluster.tls",
        "Dockerfile", "compose.yaml", "pipeline.deadLetterMax")) {
      assertTrue(docs.contains(op), op + " is documented");
    }
  }

  @Test
  void partnersMdGivesEachProtocolItsStatusesAndTimeouts() throws Exception {
    String partners = Files.readString(Path.of("docs/partners.md"), StandardCharsets.UTF_8);
    for (String s : List.of("/v1/real-name/verify", "/v1/account-count", "/v1/sms", "X-Yzt-Key-Id", "X-Yzt-Timestamp",
        "X-Yzt-Nonce", "X-Yzt-Signature", "401", "408", "429", "5xx", "timeoutMs", "MATCH", "MISMATCH", "CANCELLED",
        "NOT_FOUND", "QUEUED", "65,536")) {
      assertTrue(partners.contains(s), "docs/partners.md says " + s);
    }
    // the body cap is one for every partner since the outbound client was unified (SPEC §11)
    assertFalse(partners.contains("16 KiB"), "a stale cap in docs/partners.md");
  }
}
