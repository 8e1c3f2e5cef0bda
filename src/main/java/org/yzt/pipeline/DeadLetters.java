package org.yzt.pipeline;

import org.yzt.store.JobFields;
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
import org.yzt.privacy.PersonalData;
import org.yzt.privacy.Phone;
import org.yzt.store.RedisKeys;
import org.yzt.store.RedisScript;
import org.yzt.store.Shard;

/**
 * The dead-letter streams ({@code yzt:jobs:dead:{tag}} per shard, {@code yzt:jobs:dead} of the layout before
 * sharding) for operators (SPEC §11): list its entries with
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

  /** Up to {@code max} entries of one shard's stream after {@code afterId} (exclusive; "-" from the start), oldest first. */
  private Future<List<Letter>> list(Shard shard, String afterId, int max) {
    String start = "-".equals(afterId) ? "-" : "(" + afterId;
    return redis.send(Request.cmd(Command.XRANGE).arg(shard.deadLetters()).arg(start).arg("+").arg("COUNT").arg(max))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .map(res -> {
          List<Letter> out = new ArrayList<>();
          if (res != null) {
            for (Response e : res) {
              out.add(letter(shard, e));
            }
          }
          return out;
        });
  }

  /** Every entry of every shard's dead-letter stream (the layout before sharding first), page by page. */
  public Future<List<Letter>> all() {
    List<Letter> into = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Shard shard : keys.shards(true)) {
      chain = chain.compose(v -> collect(shard, "-", into));
    }
    return chain.map(into);
  }

  private Future<Void> collect(Shard shard, String after, List<Letter> into) {
    return list(shard, after, PAGE).compose(page -> {
      into.addAll(page);
      return page.size() < PAGE ? Future.succeededFuture() : collect(shard, entryId(page.get(page.size() - 1).id()), into);
    });
  }

  /**
   * Re-runs one entry, by the id {@link #all} shows ({@code <shard>/<entry id>}, the shard "L" for the layout
   * before sharding): "REDRIVEN", "GONE" (its job expired or moved on; the entry is dropped),
   * "NOT_REDRIVABLE" (a phone-card job, which keeps no name or ID number; the entry is dropped) or "MISSING".
   */
  public Future<String> redrive(String letterId) {
    Shard shard = shardOf(letterId);
    if (shard == null) {
      return Future.succeededFuture("MISSING");
    }
    String entryId = entryId(letterId);
    return redis.send(Request.cmd(Command.XRANGE).arg(shard.deadLetters()).arg(entryId).arg(entryId))
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .compose(res -> {
          if (res == null || res.size() == 0) {
            return Future.succeededFuture("MISSING");
          }
          String q = letter(shard, res.get(0)).queryId();
          return redrive.run(List.of(shard.deadLetters(), shard.stream(), shard.job(q)),
                  List.of(entryId, Long.toString(System.currentTimeMillis()), q))
              .map(Response::toString);
        });
  }

  private Shard shardOf(String letterId) {
    int slash = letterId.indexOf('/');
    if (slash < 0) {
      return null;
    }
    String s = letterId.substring(0, slash);
    if ("L".equals(s)) {
      return Shard.LEGACY;
    }
    try {
      int i = Integer.parseInt(s);
      return i >= 0 && i < keys.shardCount() ? keys.shard(i) : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String entryId(String letterId) {
    return letterId.substring(letterId.indexOf('/') + 1);
  }

  private Letter letter(Shard shard, Response e) {
    String id = (shard.legacy() ? "L" : Integer.toString(shard.index())) + "/" + e.get(0).toString();
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
