package org.yzt.contract;

/** A carrier's real-name answer (SPEC §4): the only four a carrier may give. */
public enum Verdict {
  MATCH, MISMATCH, CANCELLED, NOT_FOUND;

  /** The verdict named {@code name}, or null when it names none. */
  public static Verdict named(String name) {
    if (name != null) {
      for (Verdict v : values()) {
        if (v.name().equals(name)) {
          return v;
        }
      }
    }
    return null;
  }
}
