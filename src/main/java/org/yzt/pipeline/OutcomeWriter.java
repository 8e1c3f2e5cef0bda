package org.yzt.pipeline;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The writes of one job pass after its pick-up, on its context.
 *
 * <p>Enterprise outcomes are stored by group commit: an outcome waits at most {@code lingerMs} for
 * others to join it (SPEC §3: answers received are stored on the job; a crash within that window only
 * means those enterprises are asked again, with the same request id). Outcomes arriving while a write
 * is in flight go in the next one. Each is stored before its enterprise counts as done.
 *
 * <p>A stage's end waits too, at most {@code stepLingerMs}, for the next step to take it over: the
 * carrier's verdict ({@link #carry}) goes with the first outcomes written, and the write that ends
 * QUERYING (or, after a failed verification, the verdict itself) is held until the text is sent, when
 * the finishing write takes it over ({@link #absorb}): a query whose peers all answer within that time
 * costs one write after its pick-up instead of three or more. What is held is written on its own when
 * the time is up, or before the job parks ({@link #flush}); a crash before that only means the peers
 * of the stages held are asked again, with the same request ids, and the text goes with its fixed
 * messageId. {@code stepLingerMs} 0 writes every stage's end at once (the pass then never holds).
 */
final class OutcomeWriter {
  private final JobStore store;
  private final JobStore.Entry entry;
  private final Vertx vertx;
  private final long lingerMs;
  private final long stepLingerMs;
  /** Outcomes (field, value, …) waiting for the next write, and who waits for it. */
  private List<String> pending = new ArrayList<>();
  private List<Promise<Boolean>> waiters = new ArrayList<>();
  /** Fields an earlier stage left to the next write (the verdict), and the states it moved the job from. */
  private List<String> carried = new ArrayList<>();
  private final EnumSet<JobState> behind = EnumSet.noneOf(JobState.class);
  /** The state a write that does not end the stage moves the job to (QUERYING after a carried verdict). */
  private JobState carriedTo;
  /** Enterprises asked in this pass that have neither an outcome nor a reason to skip yet. */
  private int unreported;
  /** Some enterprise of this pass parks the job: the stage does not end now. */
  private boolean parks;
  private boolean writing;
  private long lingerTimer = -1;
  private long stepTimer = -1;
  /** The state the stage's end moved (or, held, will move) the job to; null when the stage still has to be ended. */
  private JobState ended;
  /** Who waits for the write in flight to end. */
  private List<Promise<Void>> idle = new ArrayList<>();

  OutcomeWriter(JobStore store, JobStore.Entry entry, Vertx vertx, long lingerMs, long stepLingerMs) {
    this.store = store;
    this.entry = entry;
    this.vertx = vertx;
    this.lingerMs = lingerMs;
    this.stepLingerMs = stepLingerMs;
  }

  /** Whether a stage's end may wait for the next step ({@code stepLingerMs} above 0). */
  boolean holds() {
    return stepLingerMs > 0;
  }

  /**
   * The job moved {@code from} → {@code to} in this pass, with {@code fieldsAndValues} to store: written with
   * the next write. {@code to} NOTIFYING ends the stage at once (a verdict that needs the failure text).
   */
  void carry(JobState from, JobState to, String... fieldsAndValues) {
    carried.addAll(List.of(fieldsAndValues));
    behind.add(from);
    carriedTo = to;
    startStepTimer();
    if (to == JobState.NOTIFYING) {
      expect(0);
    }
  }

  /** A pass asks {@code asks} enterprises; each then calls {@link #store} or {@link #skip} once. */
  void expect(int asks) {
    unreported = asks;
    parks = false;
    ended = null;
    if (asks == 0) {
      schedule();
    }
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

  /** The state the stage's end moved the job to (held or written), or null when it still has to be ended. */
  JobState ended() {
    return ended;
  }

  /**
   * Takes over what is held for the finishing write, once no write is in flight: answers the states the
   * stored job may still be in besides the one the pass left, which the finishing write accepts too. What
   * was held is not stored: the finishing write drops the verdict and every answer with the personal data.
   */
  Future<List<JobState>> absorb() {
    if (writing) {
      return whenIdle().compose(v -> absorb());
    }
    List<JobState> states = new ArrayList<>(behind);
    if (!pending.isEmpty() || !carried.isEmpty()) {
      states.add(JobState.QUERYING);
    }
    // taken over: a timer still running finds nothing to write
    pending = new ArrayList<>();
    carried = new ArrayList<>();
    behind.clear();
    carriedTo = null;
    return Future.succeededFuture(states);
  }

  /** Writes what is held now (the job parks or is read again); fails when that write fails. */
  Future<Void> flush() {
    if (writing) {
      return whenIdle().compose(v -> flush());
    }
    if (pending.isEmpty() && carried.isEmpty()) {
      return Future.succeededFuture();
    }
    Promise<Boolean> written = Promise.promise();
    waiters.add(written);
    write();
    return written.future().mapEmpty();
  }

  private Future<Void> whenIdle() {
    Promise<Void> p = Promise.promise();
    idle.add(p);
    return p.future();
  }

  private void schedule() {
    if (writing || (pending.isEmpty() && carried.isEmpty())) {
      return; // a write in flight schedules the next one when it completes
    }
    if (unreported <= 0 && !parks) {
      cancelLinger();
      if (holds()) {
        hold();
      } else {
        write();
      }
    } else if (pending.isEmpty()) {
      return; // only a carried verdict: it waits for the first outcome, or for its time to be up
    } else if (lingerMs <= 0) {
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

  /** The stage is over: its write waits for the finishing write to take it over, or for its time to be up. */
  private void hold() {
    ended = JobState.NOTIFYING;
    waiters.forEach(w -> w.complete(true)); // held counts as stored: the finishing write takes it over
    waiters = new ArrayList<>();
    startStepTimer();
  }

  private void startStepTimer() {
    if (holds() && stepTimer < 0) {
      stepTimer = vertx.setTimer(stepLingerMs, t -> {
        stepTimer = -1;
        if (!writing && (!pending.isEmpty() || !carried.isEmpty())) {
          write();
        }
      });
    }
  }

  private void write() {
    List<String> fields = new ArrayList<>(carried);
    fields.addAll(pending);
    List<Promise<Boolean>> these = waiters;
    boolean last = unreported <= 0 && !parks;
    List<JobState> expected = new ArrayList<>(behind);
    expected.add(JobState.QUERYING);
    JobState to = last ? JobState.NOTIFYING : carriedTo;
    List<String> carriedNow = carried;
    List<String> pendingNow = pending;
    List<JobState> behindNow = List.copyOf(behind);
    JobState carriedToNow = carriedTo;
    pending = new ArrayList<>();
    waiters = new ArrayList<>();
    carried = new ArrayList<>();
    behind.clear();
    carriedTo = null;
    cancelTimers();
    writing = true;
    store.storeAnswers(entry, fields, expected, to).onComplete(ar -> {
      writing = false;
      if (ar.succeeded() && last && ar.result() != null && ar.result().applied()) {
        ended = ar.result().state();
      }
      if (ar.failed() && these.isEmpty()) {
        // a held write that went on its own (its time was up): still held, for the next write to take over
        carriedNow.addAll(carried);
        carried = carriedNow;
        pendingNow.addAll(pending);
        pending = pendingNow;
        behind.addAll(behindNow);
        carriedTo = carriedTo != null ? carriedTo : carriedToNow;
      }
      for (Promise<Boolean> w : these) {
        if (ar.succeeded()) {
          w.complete(ar.result() != null && ar.result().applied());
        } else {
          w.fail(ar.cause());
        }
      }
      schedule();
      if (!writing) { // who waits for the writes to end hears of it once no next one went out
        List<Promise<Void>> waiting = idle;
        idle = new ArrayList<>();
        waiting.forEach(Promise::complete);
      }
    });
  }

  private void cancelLinger() {
    vertx.cancelTimer(lingerTimer); // -1 names no timer: nothing to cancel
    lingerTimer = -1;
  }

  private void cancelTimers() {
    cancelLinger();
    vertx.cancelTimer(stepTimer);
    stepTimer = -1;
  }
}
