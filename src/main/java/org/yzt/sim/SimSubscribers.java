package org.yzt.sim;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yzt.config.EnterpriseConfig;

/**
 * The demo subscribers of the simulators ({@code simulators.subscribersFile}, default
 * {@code conf/sim-subscribers.json}, read from disk or else from the copy in the jar), and the rule
 * for every other number:
 * <ul>
 *   <li>carrier: a number outside the carrier's prefixes is NOT_FOUND; otherwise MATCH, whatever
 *       the ID digits;</li>
 *   <li>enterprises: the k-th configured app overall (0-based, enterprises and their apps in
 *       configured order) has {@code d mod 3} accounts, where d is the digit of the number at
 *       position {@code 3 + k mod 8} (0-based), i.e. one of its last eight digits.</li>
 * </ul>
 * A listed subscriber may give {@code idLast6} (any other ID digits are MISMATCH), {@code carrierResult}
 * (answered whatever the ID digits), {@code accounts} ({@code {enterpriseId: {app: count}}}; an
 * enterprise left out answers zero for every app) and {@code enterpriseLatencyMs}. The phone-card demo
 * holders are {@code identities[]} ({@code name}, {@code idNumber}, {@code phones}, {@code cards}: see
 * {@link #verifyIdentity} and {@link #cardCount}).
 */
public final class SimSubscribers {
  public record Subscriber(String phone, String idLast6, String carrierResult, JsonObject accounts, long enterpriseLatencyMs) {}

  /** A phone-card demo holder: the name and ID number its numbers are registered to, its cards per carrier. */
  public record Identity(String name, String idNumber, JsonObject cards) {}

  private final Map<String, Subscriber> byPhone = new HashMap<>();
  private final Map<String, Identity> identityByPhone = new HashMap<>();
  private final Map<String, Identity> identityById = new HashMap<>();
  private final Map<String, Integer> appIndex = new HashMap<>();

  public SimSubscribers(JsonObject file, List<EnterpriseConfig> enterprises) {
    for (Object o : file.getJsonArray("subscribers", new JsonArray())) {
      JsonObject s = (JsonObject) o;
      byPhone.put(s.getString("phone"), new Subscriber(s.getString("phone"), s.getString("idLast6"),
          s.getString("carrierResult"), s.getJsonObject("accounts"), s.getLong("enterpriseLatencyMs", 0L)));
    }
    for (Object o : file.getJsonArray("identities", new JsonArray())) {
      JsonObject i = (JsonObject) o;
      Identity id = new Identity(i.getString("name"), i.getString("idNumber"), i.getJsonObject("cards", new JsonObject()));
      identityById.put(id.idNumber(), id);
      for (Object phone : i.getJsonArray("phones", new JsonArray())) {
        identityByPhone.put(String.valueOf(phone), id);
      }
    }
    int k = 0;
    for (EnterpriseConfig e : enterprises) {
      for (String app : e.apps()) {
        appIndex.put(e.id() + "/" + app, k++);
      }
    }
  }

  /** Reads the file from disk, or the copy inside the jar; empty when neither exists. Blocking. */
  public static JsonObject read(String path) {
    try {
      Path p = Path.of(path);
      if (Files.exists(p)) {
        return new JsonObject(Files.readString(p, StandardCharsets.UTF_8));
      }
      try (InputStream in = SimSubscribers.class.getClassLoader().getResourceAsStream(path)) {
        return in == null ? new JsonObject() : new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }

  public Subscriber find(String phone) {
    return byPhone.get(phone);
  }

  /** The carrier's answer for a number it serves. */
  public String verify(String phone, String idLast6) {
    Subscriber s = byPhone.get(phone);
    if (s == null) {
      return "MATCH";
    }
    if (s.carrierResult() != null) {
      return s.carrierResult();
    }
    return s.idLast6() == null || s.idLast6().equalsIgnoreCase(idLast6) ? "MATCH" : "MISMATCH";
  }

  /**
   * The carrier's identity check (SPEC §13) for a number it serves: the number's {@code carrierResult}
   * if it has one; for a number of a listed identity MATCH only with its name and ID number; else MATCH.
   */
  public String verifyIdentity(String phone, String name, String idNumber) {
    Subscriber s = byPhone.get(phone);
    if (s != null && s.carrierResult() != null) {
      return s.carrierResult();
    }
    Identity id = identityByPhone.get(phone);
    if (id == null) {
      return "MATCH";
    }
    return id.name().equals(name) && id.idNumber().equalsIgnoreCase(idNumber) ? "MATCH" : "MISMATCH";
  }

  /**
   * The cards the {@code k}-th configured carrier ({@code carrierId}) has registered to an ID number: a
   * listed identity's own (0 under another name: the carrier knows the ID under its own name), else the
   * rule of the file's comment.
   */
  public int cardCount(String carrierId, int k, String name, String idNumber) {
    Identity id = identityById.get(idNumber);
    if (id != null) {
      return id.name().equals(name) ? id.cards().getInteger(carrierId, 0) : 0;
    }
    char d = idNumber.length() == 18 ? idNumber.charAt(14 + k % 3) : '0';
    return d >= '0' && d <= '9' ? (d - '0') % 3 : 0;
  }

  /** The accounts an enterprise reports, as the protocol's list. */
  public JsonArray accounts(EnterpriseConfig e, String phone) {
    Subscriber s = byPhone.get(phone);
    JsonArray out = new JsonArray();
    for (String app : e.apps()) {
      int count;
      if (s != null && s.accounts() != null) {
        JsonObject mine = s.accounts().getJsonObject(e.id(), new JsonObject());
        count = mine.getInteger(app, 0);
      } else {
        int k = appIndex.getOrDefault(e.id() + "/" + app, 0);
        count = (phone.charAt(3 + k % 8) - '0') % 3;
      }
      out.add(new JsonObject().put("app", app).put("count", count));
    }
    return out;
  }

  public long enterpriseLatencyMs(String phone) {
    Subscriber s = byPhone.get(phone);
    return s == null ? 0 : s.enterpriseLatencyMs();
  }
}
