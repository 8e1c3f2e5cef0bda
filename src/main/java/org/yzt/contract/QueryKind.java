package org.yzt.contract;

/**
 * The two queries of the service (SPEC §1, §13), by the name they have on the wire (the
 * {@code purpose} of a code, the {@code kind} label of a metric): the internet-account query and the
 * phone-card query.
 */
public enum QueryKind {
  ACCOUNTS("accounts", "互联网账号"),
  CARDS("cards", "电话卡");

  /** The wire name: {@code "accounts"} or {@code "cards"}. */
  public final String wire;
  /** What the code text says the code is for (SPEC §6). */
  public final String usedFor;

  QueryKind(String wire, String usedFor) {
    this.wire = wire;
    this.usedFor = usedFor;
  }

  /** The kind named {@code wire}; {@link #ACCOUNTS} for null (the default purpose); null for any other value. */
  public static QueryKind ofPurpose(String wire) {
    if (wire == null) {
      return ACCOUNTS;
    }
    for (QueryKind k : values()) {
      if (k.wire.equals(wire)) {
        return k;
      }
    }
    return null;
  }
}
