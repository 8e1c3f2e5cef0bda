package org.yzt.pipeline;

import org.yzt.store.JobFields;
import java.util.Map;

/** A job as read from its Redis hash when a worker picks it up (field names in {@link JobFields}). */
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
    return new Job(entry, Map.of(JobFields.REQUEST_ID, requestId == null ? "" : requestId), true);
  }

  /** The stored state as text (it may name no {@link JobState}). */
  String stateName() {
    return fields.get(JobFields.STATE);
  }

  long deadline() {
    return parseLong(fields.get(JobFields.DEADLINE), 0L);
  }

  long createdAt() {
    return parseLong(fields.get(JobFields.CREATED), 0L);
  }

  String verdict() {
    return fields.get(JobFields.VERDICT);
  }

  int retryAttempts() {
    return (int) parseLong(fields.get(JobFields.RETRIES), 0L);
  }

  String requestId() {
    return fields.getOrDefault(JobFields.REQUEST_ID, "");
  }

  String sealedPersonalData() {
    return fields.get(JobFields.PERSONAL);
  }

  String answer(String enterpriseId) {
    return fields.get(JobFields.answer(enterpriseId));
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
