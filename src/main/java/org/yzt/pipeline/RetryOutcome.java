package org.yzt.pipeline;

/** How a call retried by {@link RetryOrPark} ended. */
sealed interface RetryOutcome<T> {
  /** It answered. */
  record Success<T>(T value) implements RetryOutcome<T> {}

  /** It failed in a way another try cannot mend. */
  record Permanent<T>(Throwable cause) implements RetryOutcome<T> {}

  /** The time limit passed first. */
  record Expired<T>() implements RetryOutcome<T> {}

  /** The next try is far away: the job should wait in Redis until {@code wakeAt} ({@code attempts} so far). */
  record Park<T>(long wakeAt, int attempts) implements RetryOutcome<T> {}
}
