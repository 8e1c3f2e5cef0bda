package org.yzt.store;

/**
 * One of the {@code pipeline.streamShards} slots of the key layout (SPEC §11 "Redis Cluster"): the
 * keys of every number that maps here, its job stream, delayed set, dead-letter stream and pause
 * flag share the hash tag {@link #tag}, so a number's atomic step is one script on one master. The
 * {@link #LEGACY legacy} shard names the keys of the layout before sharding (no tag), which a
 * pipeline node drains after an upgrade.
 *
 * @param index the shard's number, 0 … count-1 (-1: the legacy layout)
 * @param tag   {@code {…}}, the hash tag of its keys (empty for the legacy layout)
 */
public record Shard(int index, String tag) {
  /** The layout before sharding: one stream {@code yzt:jobs}, job records {@code yzt:job:<id>}. */
  public static final Shard LEGACY = new Shard(-1, "");

  public boolean legacy() {
    return index < 0;
  }

  /** {@code base} followed by this shard's tag, for its per-shard keys: {@code yzt:jobs} → {@code yzt:jobs:{t}}. */
  public String key(String base) {
    return legacy() ? base : base + ":" + tag;
  }

  public String stream() {
    return key("yzt:jobs");
  }

  public String delayed() {
    return key("yzt:jobs:delayed");
  }

  public String deadLetters() {
    return key("yzt:jobs:dead");
  }

  /** The pause switch of {@code admin pause-codes}, one copy per shard, read by the code script of its numbers. */
  public String codesPaused() {
    return key("yzt:codes:paused");
  }

  public String job(String queryId) {
    return legacy() ? "yzt:job:" + queryId : "yzt:job:" + tag + ":" + queryId;
  }

  /** A key of this shard for one keyed token: {@code yzt:<kind>:{t}:<token>}. */
  public String of(String kind, String token) {
    return "yzt:" + kind + ":" + tag + ":" + token;
  }
}
