package org.yzt.query;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the enterprise outcomes of one job while it is QUERYING, by group commit: a write starts at
 * once unless one is already in flight for this job; outcomes arriving meanwhile go together in the
 * next write, started as soon as that one completes. No outcome waits for another to arrive, and
 * each is stored before its enterprise counts as done, but a job whose eight answers land within a
 * write's round trip costs two or three writes instead of eight. One per job pass, on its context.
 */
final class OutcomeWriter {
  private final JobStore store;
  private final JobStore.Entry entry;
  /** Outcomes (field, value, …) waiting for the next write, and who waits for it. */
  private List<String> pending = new ArrayList<>();
  private List<Promise<JobState>> waiters = new ArrayList<>();
  private boolean writing;

  OutcomeWriter(JobStore store, JobStore.Entry entry) {
    this.store = store;
    this.entry = entry;
  }

  /** Stores one outcome; answers the job's state afterwards (QUERYING unless it moved on), null when gone. */
  Future<JobState> store(String field, String value) {
    Promise<JobState> stored = Promise.promise();
    pending.add(field);
    pending.add(value);
    waiters.add(stored);
    if (!writing) {
      write();
    }
    return stored.future();
  }

  private void write() {
    List<String> fields = pending;
    List<Promise<JobState>> these = waiters;
    pending = new ArrayList<>();
    waiters = new ArrayList<>();
    writing = true;
    store.storeAnswers(entry, fields).onComplete(ar -> {
      writing = false;
      if (!pending.isEmpty()) {
        write();
      }
      for (Promise<JobState> w : these) {
        if (ar.succeeded()) {
          w.complete(ar.result());
        } else {
          w.fail(ar.cause());
        }
      }
    });
  }
}
