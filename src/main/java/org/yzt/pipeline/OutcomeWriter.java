package org.yzt.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores the enterprise outcomes of one job while it is QUERYING, by group commit. An outcome waits
 * at most {@code lingerMs} for others to join it (SPEC §3: answers received are stored on the job;
 * a crash within that window only means those enterprises are asked again, with the same request
 * id); once every enterprise asked in this pass has reported, the rest goes at once — and when none
 * of them parks the job, that last write also moves it to NOTIFYING. So a job whose eight answers
 * land close together costs one write instead of nine. Outcomes arriving while a write is in flight
 * go in the next one. Each is stored before its enterprise counts as done. One per job pass, on its
 * context.
 */
final class OutcomeWriter {
  private final JobStore store;
  private final JobStore.Entry entry;
  private final Vertx vertx;
  private final long lingerMs;
  /** Outcomes (field, value, …) waiting for the next write, and who waits for it. */
  private List<String> pending = new ArrayList<>();
  private List<Promise<Boolean>> waiters = new ArrayList<>();
  /** Enterprises asked in this pass that have neither an outcome nor a reason to skip yet. */
  private int unreported;
  /** Some enterprise of this pass parks the job: the stage does not end now. */
  private boolean parks;
  private boolean writing;
  private long lingerTimer = -1;
  /** The state the last write moved the job to (NOTIFYING), null when no write ended the stage. */
  private JobState ended;

  OutcomeWriter(JobStore store, JobStore.Entry entry, Vertx vertx, long lingerMs) {
    this.store = store;
    this.entry = entry;
    this.vertx = vertx;
    this.lingerMs = lingerMs;
  }

  /** A pass asks {@code asks} enterprises; each then calls {@link #store} or {@link #skip} once. */
  void expect(int asks) {
    unreported = asks;
    parks = false;
    ended = null;
  }

  /** Stores one outcome; answers whether it was stored (false: the job had left QUERYING). */
  Future<Boolean> store(String field, String value) {
    Promise<Boolean> stored = Promise.promise();
    unreported--;
    pending.add(field);
    pending.add(value);
    waiters.add(stored);
    schedule();
    return stored.future();
  }

  /** An enterprise of this pass ends with nothing to store; {@code parks}: it waits for a later retry. */
  void skip(boolean parks) {
    unreported--;
    this.parks |= parks;
    schedule();
  }

  /** The state the final write moved the job to, or null when the stage still has to be ended. */
  JobState ended() {
    return ended;
  }

  private void schedule() {
    if (writing || pending.isEmpty()) {
      return; // a write in flight schedules the next one when it completes
    }
    if (unreported <= 0 || lingerMs <= 0) {
      if (lingerTimer >= 0) {
        vertx.cancelTimer(lingerTimer);
        lingerTimer = -1;
      }
      write();
    } else if (lingerTimer < 0) {
      lingerTimer = vertx.setTimer(lingerMs, t -> {
        lingerTimer = -1;
        if (!writing && !pending.isEmpty()) {
          write();
        }
      });
    }
  }

  private void write() {
    List<String> fields = pending;
    List<Promise<Boolean>> these = waiters;
    pending = new ArrayList<>();
    waiters = new ArrayList<>();
    writing = true;
    boolean last = unreported <= 0 && !parks;
    store.storeAnswers(entry, fields, last).onComplete(ar -> {
      writing = false;
      if (ar.succeeded() && last && ar.result() != null && ar.result().applied()) {
        ended = ar.result().state();
      }
      for (Promise<Boolean> w : these) {
        if (ar.succeeded()) {
          w.complete(ar.result() != null && ar.result().applied());
        } else {
          w.fail(ar.cause());
        }
      }
      schedule();
    });
  }
}
