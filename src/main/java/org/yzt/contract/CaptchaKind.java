package org.yzt.contract;

/** The two captchas of SPEC §2.1: the image, and the spoken one for people who cannot read it. */
public enum CaptchaKind {
  IMAGE("image"),
  AUDIO("audio");

  /** The {@code kind} of the request body, and the field of the answer that carries the data URL. */
  public final String wire;

  CaptchaKind(String wire) {
    this.wire = wire;
  }

  /** The kind a request names, or null for anything else (400 INVALID_FIELD). */
  public static CaptchaKind of(String wire) {
    for (CaptchaKind k : values()) {
      if (k.wire.equals(wire)) {
        return k;
      }
    }
    return null;
  }
}
