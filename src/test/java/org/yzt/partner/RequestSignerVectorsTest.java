package org.yzt.partner;

import org.yzt.privacy.PersonalData;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of docs/partners.md, read from the file itself, against our signer and our
 * reference receiver: what partners are told is what the service computes.
 */
class RequestSignerVectorsTest {
  private static final Pattern BLOCK = Pattern.compile("```(vector|to-sign)\\n(.*?)\\n```", Pattern.DOTALL);

  record Vector(Map<String, String> fields, String toSign) {}

  static List<Vector> vectors() throws Exception {
    String doc = Files.readString(Path.of("docs/partners.md"), StandardCharsets.UTF_8);
    Matcher m = BLOCK.matcher(doc);
    List<Vector> out = new ArrayList<>();
    Map<String, String> pending = null;
    while (m.find()) {
      if (m.group(1).equals("vector")) {
        pending = new LinkedHashMap<>();
        for (String line : m.group(2).split("\n")) {
          int colon = line.indexOf(": ");
          pending.put(line.substring(0, colon), line.substring(colon + 2));
        }
      } else {
        out.add(new Vector(pending, m.group(2)));
        pending = null;
      }
    }
    return out;
  }

  @Test
  void theDocumentedVectorsAreWhatOurSignerComputes() throws Exception {
    List<Vector> vectors = vectors();
    assertEquals(5, vectors.size(), "a vector for each protocol (the carrier's three), each with its string to sign");
    for (Vector v : vectors) {
      Map<String, String> f = v.fields();
      Buffer body = Buffer.buffer(f.get("body").getBytes(StandardCharsets.UTF_8));
      // the documented values, computed here from SPEC §4's recipe with the JDK alone (the document was
      // written by the same signer, so comparing the two would not catch a wrong recipe)
      String bodyHash = java.util.HexFormat.of().formatHex(
          java.security.MessageDigest.getInstance("SHA-256").digest(body.getBytes()));
      assertEquals(bodyHash, f.get("bodySha256"), f.get("path"));
      String recipe = f.get("method") + "\n" + f.get("path") + "\n" + f.get("timestamp") + "\n" + f.get("nonce") + "\n" + bodyHash;
      assertEquals(recipe, v.toSign(), f.get("path"));
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(f.get("secret").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      assertEquals(java.util.HexFormat.of().formatHex(mac.doFinal(recipe.getBytes(StandardCharsets.UTF_8))),
          f.get("signature"), f.get("path"));

      assertEquals(f.get("bodySha256"), PersonalData.sha256Hex(body.getBytes()), f.get("path"));
      assertEquals(v.toSign(), RequestSigner.stringToSign(f.get("method"), f.get("path"), f.get("timestamp"),
          f.get("nonce"), body), f.get("path"));
      RequestSigner signer = new RequestSigner("any-key", f.get("secret"));
      assertEquals(f.get("signature"), signer.signature(f.get("method"), f.get("path"), f.get("timestamp"),
          f.get("nonce"), body), f.get("path"));

      // the headers our signer sends with that timestamp and nonce are accepted by the reference receiver
      MultiMap headers = MultiMap.caseInsensitiveMultiMap();
      long ts = Long.parseLong(f.get("timestamp"));
      signer.sign(headers, f.get("method"), f.get("path"), body, ts, f.get("nonce"));
      assertEquals(f.get("signature"), headers.get(RequestSigner.SIGNATURE));
      SignatureVerifier receiver = new SignatureVerifier(Map.of("any-key", f.get("secret")), 10);
      assertEquals(SignatureVerifier.Verdict.OK, receiver.verify(headers, "POST", f.get("path"), body, ts + 1000));
      assertTrue(signer.verify(headers, "POST", f.get("path"), body, ts));
    }
  }
}
