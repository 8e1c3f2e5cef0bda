package org.yzt.query;

import java.util.Map;

/** A job as read from its Redis hash when a worker picks it up (see {@link JobStore} for the fields). */
final class Job {
  static final Job DEAD = new Job(null, Map.of());

  final JobStore.Entry entry;
  final Map<String, String> fields;

  Job(JobStore.Entry entry, Map<String, String> fields) {
    this.entry = entry;
    this.fields = fields;
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
