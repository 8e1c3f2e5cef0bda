package org.yzt.contract;

/** Event-bus addresses of SPEC §8, in one place. Message shapes are documented in the README. */
public final class Addresses {
  public static final String CAPTCHA_ISSUE = "yzt.captcha.issue";
  /**
   * A new captcha with its per-IP limits counted in the same Redis script, on standalone and Sentinel:
   * {@link CaptchaIssue.Checked}.
   */
  public static final String CAPTCHA_ISSUE_CHECKED = "yzt.captcha.issueChecked";
  /**
   * The same on a Redis Cluster, for a client whose limits are all in one slot (no IPv6 site): the captcha's
   * key is put in that slot. An address of its own: a node of an older version would run the one script
   * with its captcha in another slot.
   */
  public static final String CAPTCHA_ISSUE_IN_SLOT = "yzt.captcha.issueInSlot";
  public static final String CAPTCHA_VERIFY = "yzt.captcha.verify";
  public static final String RATELIMIT_ACQUIRE = "yzt.ratelimit.acquire";
  public static final String SMSCODE_SEND = "yzt.smscode.send";
  /**
   * The whole of {@code POST /api/v1/sms-codes} after the body's checks (per-IP limit, captcha, code) in one
   * message and one Redis script, on standalone and Sentinel: {@link SmsCodeSend.Checked}.
   */
  public static final String SMSCODE_SEND_CHECKED = "yzt.smscode.sendChecked";
  /**
   * The same on a Redis Cluster, for a client without an IPv6 site whose captcha is in its limit's slot: the
   * limit and the captcha in one script, then the send budgets and the number's step in theirs.
   */
  public static final String SMSCODE_SEND_IN_SLOT = "yzt.smscode.sendInSlot";
  public static final String QUERY_SUBMIT = "yzt.query.submit";
  public static final String QUERY_REPLAY = "yzt.query.replay";
  /** The phone-card query (SPEC §13): {"phone","name","idNumber","smsCode","client",…} → as yzt.query.submit. */
  public static final String CARDQUERY_SUBMIT = "yzt.cardquery.submit";
  public static final String QUERY_STATUS = "yzt.query.status";
  public static final String CARRIER_VERIFY = "yzt.carrier.verify";
  /** {"phone","name","idNumber","requestId"} → {"result"}: the number's carrier's identity check (SPEC §13). */
  public static final String CARRIER_VERIFY_IDENTITY = "yzt.carrier.verifyIdentity";
  /** {"carrierId","name","idNumber","requestId"} → {"count"}: one carrier's card count (SPEC §13). */
  public static final String CARRIER_CARD_COUNT = "yzt.carrier.cardCount";
  public static final String ENTERPRISE_COUNT_PREFIX = "yzt.enterprise.count.";
  public static final String SMS_SEND = "yzt.sms.send";
  /** {} → {"circuits": {enterpriseId: "CLOSED"|"HALF_OPEN"|"OPEN"}}: the answering node's breakers. */
  public static final String ENTERPRISE_CIRCUITS = "yzt.enterprise.circuits";
  /** Node-local ping used by /ready to check the event bus. */
  public static final String HEALTH_PING = "yzt.health.ping";
  public static final String SIM_SMS_INBOX = "yzt.sim.sms.inbox";

  private Addresses() {}

  public static String enterpriseCount(String enterpriseId) {
    return ENTERPRISE_COUNT_PREFIX + enterpriseId;
  }
}
