package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.yzt.common.PersonalData;
import org.yzt.common.Phone;
import org.yzt.common.RedisKeys;
import org.yzt.common.RedisScript;

/**
 * The dead-letter stream {@code yzt:jobs:dead} for operators (SPEC §11): list its entries with
 * the number masked and nothing else personal, and re-run them ({@code dead_letter_redrive.lua}:
 * the job starts again from ACCEPTED with the personal data kept sealed in its entry). Used by
 * {@code admin dead-letters}.
 */
public final class DeadLetters {
  /** One entry as an operator sees it. */
  public record Letter(String id, String queryId, String stage, long atMs, String maskedPhone) {
    public String line() {
      return id + " query=" + queryId + " stage=" + stage + " at=" + Instant.ofEpochMilli(atMs) + " phone=" + maskedPhone;
    }
  }

  private static final int PAGE = 100;
  private final Redis redis;
  private final PersonalData personalData;
  private final RedisKeys keys;
  private final long timeoutMs;
  private final RedisScript redrive;

  public DeadLetters(Redis redis, PersonalData personalData, RedisKeys keys, long timeoutMs) {
    this.redis = redis;
    this.personalData = personalData;
    this.keys = keys;
    this.timeoutMs = timeoutMs;
    this.redrive = RedisScript.load(redis, timeoutMs, "dead_letter_redrive");
  }

  /** Up to {@code max} entries after {@code afterId} (exclusive; "-" from the start), oldest first. */
  public Future<List<Letter>> list(String afterId, int max) {
    String start = "-".equals(afterId) ? "-" : "(" + afterId;
    return redis.send(Request.cmd(Command.XRANGE).arg(RedisKeys.DEAD_LETTER_STREAM).arg(start).arg("+").arg("COUNT").arg(max))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(res -> {
          List<Letter> out = new ArrayList<>();
          if (res != null) {
            for (Response e : res) {
              out.add(letter(e));
            }
          }
          return out;
        });
  }

  /** Every entry, page by page. */
  public Future<List<Letter>> all() {
    return collect("-", new ArrayList<>());
  }

  private Future<List<Letter>> collect(String after, List<Letter> into) {
    return list(after, PAGE).compose(page -> {
      into.addAll(page);
      return page.size() < PAGE ? Future.succeededFuture(into) : collect(page.get(page.size() - 1).id(), into);
    });
  }

  /** Re-runs one entry: "REDRIVEN", "GONE" (its job expired or moved on; the entry is dropped) or "MISSING". */
  public Future<String> redrive(String entryId) {
    return redrive.run(List.of(RedisKeys.DEAD_LETTER_STREAM, RedisKeys.JOB_STREAM),
        List.of(entryId, Long.toString(System.currentTimeMillis()), keys.job("")))
        .map(Response::toString);
  }

  private Letter letter(Response e) {
    String id = e.get(0).toString();
    JsonObject f = new JsonObject();
    Response fields = e.get(1);
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      f.put(fields.get(i).toString(), fields.get(i + 1).toString());
    }
    long at;
    try {
      at = Long.parseLong(f.getString("at", "0"));
    } catch (NumberFormatException ex) {
      at = 0;
    }
    return new Letter(id, f.getString("q", "?"), f.getString("st", "?"), at, masked(f.getString("q", ""), f.getString("pd")));
  }

  /** The number masked, or "-" when the entry holds none that opens. */
  private String masked(String queryId, String sealed) {
    if (sealed == null || sealed.isEmpty()) {
      return "-";
    }
    try {
      String phone = personalData.decrypt(queryId, JobFields.PERSONAL, sealed).getString("phone");
      return phone == null ? "-" : Phone.mask(phone);
    } catch (RuntimeException e) {
      return "-";
    }
  }
}
