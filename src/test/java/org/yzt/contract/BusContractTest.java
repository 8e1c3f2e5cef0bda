package org.yzt.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/event-bus.md and the records of org.yzt.contract agree field for field: each request and
 * reply record's JSON form has exactly the fields of its row (optional ones only when set), and
 * reads back as the same record.
 */
class BusContractTest {
  private static final PhoneNumber PHONE = new PhoneNumber("13800138000");

  /** An address's messages: the request with every field set, with only the required ones, and a reply. */
  record Example(BusMessage full, BusMessage required, JsonObject reply) {}

  static Map<String, Example> examples() {
    Map<String, Example> m = new LinkedHashMap<>();
    m.put(CaptchaIssue.ADDRESS, new Example(new CaptchaIssue.Request(CaptchaKind.AUDIO),
        new CaptchaIssue.Request(CaptchaKind.IMAGE),
        new CaptchaIssue.Reply("id", CaptchaKind.IMAGE, "data:image/png;base64,", 120).toJson()));
    m.put(CaptchaIssue.Checked.ADDRESS, new Example(new CaptchaIssue.Checked(CaptchaKind.AUDIO, "203.0.113.7", "r1"),
        new CaptchaIssue.Checked(CaptchaKind.IMAGE, "203.0.113.7", null),
        new CaptchaIssue.Reply("id", CaptchaKind.IMAGE, "data:image/png;base64,", 120).toJson()));
    m.put(CaptchaVerify.ADDRESS, new Example(new CaptchaVerify.Request("id", "AB12", "r1"),
        new CaptchaVerify.Request("id", "AB12", null), new JsonObject()));
    m.put(RateLimitAcquire.ADDRESS, new Example(new RateLimitAcquire.Request("queries", "203.0.113.7", "r1"),
        new RateLimitAcquire.Request("queries", "203.0.113.7", null), new RateLimitAcquire.Reply(true, 3).toJson()));
    m.put(SmsCodeSend.ADDRESS, new Example(new SmsCodeSend.Request(PHONE, QueryKind.CARDS, "r1", "AAAAAAAAAAAAAAAAAAAAAA"),
        new SmsCodeSend.Request(PHONE, QueryKind.ACCOUNTS, null),
        new SmsCodeSend.Reply(300, 60).toJson()));
    m.put(SmsCodeSend.Checked.ADDRESS, new Example(
        new SmsCodeSend.Checked(PHONE, QueryKind.CARDS, "id", "AB12", "203.0.113.7", "r1"),
        new SmsCodeSend.Checked(PHONE, QueryKind.ACCOUNTS, "id", "AB12", "203.0.113.7", null),
        new SmsCodeSend.Reply(300, 60).toJson()));
    m.put(Addresses.QUERY_SUBMIT, new Example(
        wrap(new Submission("13800138000", "12345X", "123456", "203.0.113.7", "key", "hash", "r1").toJson()),
        wrap(new Submission("13800138000", "12345X", "123456", "203.0.113.7", null, null, null).toJson()), null));
    m.put(CardSubmission.ADDRESS, new Example(
        new CardSubmission("13800138000", "张三", "11010519491231002X", "123456", "203.0.113.7", "key", "hash", "r1"),
        new CardSubmission("13800138000", "张三", "11010519491231002X", "123456", "203.0.113.7", null, null, null), null));
    m.put(QueryReplay.ADDRESS, new Example(new QueryReplay.Request(QueryKind.CARDS, "key", "hash"),
        new QueryReplay.Request(QueryKind.ACCOUNTS, "key", "hash"),
        new QueryReplay.Reply(true, new JsonObject().put("queryId", "q")).toJson()));
    m.put(QueryStatus.ADDRESS, new Example(new QueryStatus.Request("q"), new QueryStatus.Request("q"), null));
    m.put(SmsSend.ADDRESS, new Example(new SmsSend.Request("m1", PHONE, "【一证通查】", 5000L, "r1"),
        new SmsSend.Request("m1", PHONE, "【一证通查】", null, null), SmsSend.Reply.queued("m1").toJson()));
    m.put(CarrierVerify.ADDRESS, new Example(new CarrierVerify.Request(PHONE, "12345x", "r1"),
        new CarrierVerify.Request(PHONE, "12345X", "r1"), new CarrierVerify.Reply(Verdict.MATCH).toJson()));
    m.put(CarrierCards.VERIFY_IDENTITY, new Example(new CarrierCards.VerifyIdentity(PHONE, "张三", "11010519491231002X", "r1"),
        new CarrierCards.VerifyIdentity(PHONE, "张三", "11010519491231002X", "r1"),
        new CarrierVerify.Reply(Verdict.MISMATCH).toJson()));
    m.put(CarrierCards.CARD_COUNT, new Example(new CarrierCards.CardCount("cmcc", "张三", "11010519491231002X", "r1"),
        new CarrierCards.CardCount("cmcc", "张三", "11010519491231002X", "r1"), new CarrierCards.Count(2).toJson()));
    m.put(Addresses.ENTERPRISE_COUNT_PREFIX + "<id>", new Example(new EnterpriseCount.Request(PHONE, "r1"),
        new EnterpriseCount.Request(PHONE, "r1"), new EnterpriseCount.Reply(Map.of("微信", 1)).toJson()));
    m.put(EnterpriseCircuits.ADDRESS, new Example(null, null,
        new EnterpriseCircuits.Reply(new JsonObject().put("tencent", "CLOSED")).toJson()));
    return m;
  }

  private static BusMessage wrap(JsonObject json) {
    return () -> json;
  }

  /** The documented rows: address → [request fields, reply fields], a trailing ? marking an optional one. */
  static Map<String, List<List<String>>> documented() throws Exception {
    Map<String, List<List<String>>> rows = new LinkedHashMap<>();
    Pattern row = Pattern.compile("^\\| `([^`]+)`[^|]*\\| `(\\{[^`]*})`[^|]*\\| `(\\{[^`]*})`");
    for (String line : Files.readAllLines(Path.of("docs/event-bus.md"))) {
      Matcher m = row.matcher(line.replace("\\|", "/"));
      if (m.find()) {
        rows.put(m.group(1), List.of(fields(m.group(2)), fields(m.group(3))));
      }
    }
    return rows;
  }

  /** The top-level field names of a documented shape such as {@code {a, b: {c: d, …}, e?}}. */
  static List<String> fields(String shape) {
    List<String> out = new ArrayList<>();
    String inner = shape.substring(1, shape.length() - 1);
    int depth = 0;
    StringBuilder part = new StringBuilder();
    for (char c : (inner + ",").toCharArray()) {
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
      }
      if (c == ',' && depth == 0) {
        String p = part.toString().trim();
        if (!p.isEmpty() && !p.equals("…")) {
          out.add(p.split(":")[0].trim());
        }
        part.setLength(0);
      } else {
        part.append(c);
      }
    }
    return out;
  }

  @Test
  void everyDocumentedMessageIsItsRecordFieldForField() throws Exception {
    Map<String, List<List<String>>> rows = documented();
    Map<String, Example> examples = examples();
    Set<String> expected = new LinkedHashSet<>(examples.keySet());
    expected.add(Addresses.SIM_SMS_INBOX);
    assertEquals(expected, rows.keySet(), "the addresses documented in docs/event-bus.md");
    examples.forEach((address, e) -> {
      List<String> request = rows.get(address).get(0);
      List<String> all = request.stream().map(f -> f.replace("?", "")).toList();
      List<String> required = request.stream().filter(f -> !f.endsWith("?")).toList();
      if (e.full() != null) {
        assertEquals(Set.copyOf(all), e.full().toJson().fieldNames(), address + " request, every field set");
        assertEquals(Set.copyOf(required), e.required().toJson().fieldNames(), address + " request, required fields");
      } else {
        assertTrue(request.isEmpty(), address + " takes {}");
      }
      if (e.reply() != null) {
        List<String> reply = rows.get(address).get(1).stream().map(f -> f.replace("?", "")).toList();
        assertEquals(Set.copyOf(reply), e.reply().fieldNames(), address + " reply");
      }
    });
  }

  @Test
  void eachRecordReadsBackFromItsJson() {
    CarrierVerify.Request carrier = new CarrierVerify.Request(PHONE, "12345x", "r1");
    assertEquals("12345X", carrier.idLast6());
    assertEquals(carrier, CarrierVerify.Request.fromJson(carrier.toJson()));
    assertEquals(carrier, CarrierVerify.Request.of(carrier.toJson().put("phone", "+86 138-0013-8000")));
    EnterpriseCount.Request count = new EnterpriseCount.Request(PHONE, "r1");
    assertEquals(count, EnterpriseCount.Request.fromJson(count.toJson()));
    EnterpriseCount.Reply accounts = new EnterpriseCount.Reply(new LinkedHashMap<>(Map.of("微信", 1)));
    assertEquals(accounts, EnterpriseCount.Reply.fromJson(accounts.toJson()));
    assertEquals(0, accounts.count("QQ"));
    SmsSend.Request sms = new SmsSend.Request("m1", PHONE, "text", 5000L, null);
    assertEquals(sms, SmsSend.Request.fromJson(sms.toJson()));
    SmsCodeSend.Request code = new SmsCodeSend.Request(PHONE, QueryKind.CARDS, "r1");
    assertEquals(QueryKind.ACCOUNTS, SmsCodeSend.Request.fromJson(new JsonObject().put("phone", "13800138000")).purpose());
    assertEquals("purpose", assertThrows(BadMessage.class, () -> SmsCodeSend.Request.fromJson(
        new JsonObject().put("phone", "13800138000").put("purpose", "other"))).field);
    assertEquals(code, SmsCodeSend.Request.fromJson(code.toJson()));
    SmsCodeSend.Checked checked = new SmsCodeSend.Checked(PHONE, QueryKind.CARDS, "id", "AB12", "2001:db8::/64", "r1");
    assertEquals(checked, SmsCodeSend.Checked.fromJson(checked.toJson()));
    assertEquals("client", assertThrows(BadMessage.class, () -> SmsCodeSend.Checked.fromJson(
        new JsonObject().put("phone", "13800138000").put("captchaId", "id").put("answer", "AB12"))).field);
    RateLimitAcquire.Request limit = new RateLimitAcquire.Request("queries", "203.0.113.7", null);
    assertEquals(limit, RateLimitAcquire.Request.fromJson(limit.toJson()));
    QueryReplay.Reply replay = new QueryReplay.Reply(true, new JsonObject().put("queryId", "q"));
    assertEquals(replay, QueryReplay.Reply.fromJson(replay.toJson()));
    assertEquals(Verdict.CANCELLED, CarrierVerify.Reply.fromJson(new JsonObject().put("result", "CANCELLED")).result());
  }

  @Test
  void aRefusedMessageNamesItsCodeAndFieldButNeverTheValue() {
    BadMessage phone = assertThrows(BadMessage.class,
        () -> CarrierVerify.Request.fromJson(new JsonObject().put("phone", "12800138000").put("idLast6", "12345X")));
    assertEquals(ErrorCode.INVALID_PHONE, phone.code);
    BadMessage id = assertThrows(BadMessage.class, () -> CarrierVerify.Request.fromJson(
        new JsonObject().put("phone", "13800138000").put("idLast6", "1234").put("requestId", "r")));
    assertEquals(ErrorCode.INVALID_ID_LAST6, id.code);
    BadMessage rid = assertThrows(BadMessage.class, () -> EnterpriseCount.Request.fromJson(
        new JsonObject().put("phone", "13800138000")));
    assertEquals("requestId", rid.field);
    BadMessage to = assertThrows(BadMessage.class, () -> SmsSend.Request.fromJson(new JsonObject()
        .put("messageId", "m").put("to", "+8613800138000").put("text", "t")));
    assertEquals("to", to.field);
    assertFalse(to.getMessage().contains("13800138000"));
    assertEquals(new JsonObject().put(Failures.KIND, "INVALID").put("field", "to"),
        Failures.detailsOf(Failures.toReply(to)));
    assertEquals(400, Failures.toReply(to).failureCode());
  }
}
