package org.yzt.pipeline;

import org.yzt.store.JobFields;

/** The status of a job (SPEC §3), as stored in its {@link JobFields#STATE} field. */
public enum JobState {
  ACCEPTED, VERIFYING, QUERYING, NOTIFYING, DONE, FAILED;

  /** The state named {@code s}, or null when it names none (a missing or foreign value). */
  public static JobState of(String s) {
    if (s == null) {
      return null;
    }
    for (JobState st : values()) {
      if (st.name().equals(s)) {
        return st;
      }
    }
    return null;
  }

  public boolean finished() {
    return this == DONE || this == FAILED;
  }
}
