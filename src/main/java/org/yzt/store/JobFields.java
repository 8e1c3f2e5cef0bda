package org.yzt.store;

/**
 * The fields of a job hash {@code yzt:job:<queryId>}, in one place. The front door writes
 * {@code st ca dl pd rid} (and {@code tp} when traced; a redrive moves it to {@code tl}); the pipeline adds the rest while the job runs and drops
 * {@code pd cv e:* ra tr} when it finishes or is dead-lettered (the Lua scripts name the same fields).
 */
public final class JobFields {
  /** The {@code pipeline.JobState}. */
  public static final String STATE = "st";
  /** Accepted at, epoch ms. */
  public static final String CREATED = "ca";
  /** Last state change, epoch ms. */
  public static final String UPDATED = "ua";
  /** The deadline, epoch ms (SPEC §3). */
  public static final String DEADLINE = "dl";
  /** The sealed personal data: {@code {"phone","idLast6"}}. */
  public static final String PERSONAL = "pd";
  /** The front door's request id, for log lines. */
  public static final String REQUEST_ID = "rid";
  /** The W3C traceparent of the request that submitted the job, only when that request is traced (SPEC §11). */
  public static final String TRACE = "tp";
  /** A redriven job's former trace context: its rerun starts a new trace linked to it (SPEC §11). */
  public static final String TRACE_LINK = "tl";
  /** The carrier verdict. */
  public static final String VERDICT = "cv";
  /** Retry attempts of the current stage (kept while parked). */
  public static final String RETRIES = "ra";
  /** Reclaims without progress (dead-letter after {@code maxDeliveries}); a step that succeeds resets it. */
  public static final String RECLAIMS = "tr";
  /** The query's kind: absent for an internet-account query, {@code cards} for a phone-card query (SPEC §13). */
  public static final String KIND = "kd";
  /** {@link #KIND} of a phone-card job (lua/card_submit.lua writes it). */
  public static final String CARDS = "cards";
  /** Why a job is FAILED. */
  public static final String WHY = "why";
  private static final String ANSWER = "e:";

  private JobFields() {}

  /** An enterprise's answer: sealed counts, or {@code !<code>} when it failed for this query. */
  public static String answer(String enterpriseId) {
    return ANSWER + enterpriseId;
  }

  /**
   * A carrier's card count for a phone-card job: sealed {@code {"n": count}}, or {@code !<code>} when it
   * failed for this query. Under the answers' prefix, so a finished or dead-lettered job drops it with them.
   */
  public static String cardAnswer(String carrierId) {
    return ANSWER + "card:" + carrierId;
  }
}
