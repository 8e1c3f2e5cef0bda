package org.yzt.query;

import java.util.Map;

/** A job as read from its Redis hash when a worker picks it up (see {@link JobStore} for the fields). */
final class Job {
  final JobStore.Entry entry;
  final Map<String, String> fields;
  /** True when loading it moved it to the dead-letter stream: nothing more to do. */
  final boolean dead;

  Job(JobStore.Entry entry, Map<String, String> fields) {
    this(entry, fields, false);
  }

  private Job(JobStore.Entry entry, Map<String, String> fields, boolean dead) {
    this.entry = entry;
    this.fields = fields;
    this.dead = dead;
  }

  /** A job just moved to the dead-letter stream; only its request id is known. */
  static Job dead(JobStore.Entry entry, String requestId) {
    return new Job(entry, Map.of("rid", requestId == null ? "" : requestId), true);
  }

  String state() {
    return fields.get("st");
  }

  long deadline() {
    return parseLong(fields.get("dl"), 0L);
  }

  long createdAt() {
    return parseLong(fields.get("ca"), 0L);
  }

  String verdict() {
    return fields.get("cv");
  }

  int retryAttempts() {
    return (int) parseLong(fields.get("ra"), 0L);
  }

  String requestId() {
    return fields.getOrDefault("rid", "");
  }

  String answer(String enterpriseId) {
    return fields.get("e:" + enterpriseId);
  }

  private static long parseLong(String s, long fallback) {
    if (s == null) {
      return fallback;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
