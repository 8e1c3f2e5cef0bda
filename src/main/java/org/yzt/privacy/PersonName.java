package org.yzt.privacy;

/**
 * Names as people write them (SPEC §13): letters of any script (Unicode L and M categories), the
 * middle dot {@code ·} (U+00B7; the katakana middle dot U+30FB and the bullet U+2022, which input
 * methods often give instead, are read as it) and single spaces (the ideographic space U+3000 is read
 * as a space); trimmed, inner runs of spaces made one, then 2–30 characters (code points, so a name
 * in a supplementary-plane script counts one per character). Never logs or echoes the name.
 */
public final class PersonName {
  public static final int MIN = 2;
  public static final int MAX = 30;
  static final char DOT = '\u00B7';
  /** Longer input is refused before any work: no name comes near it. */
  private static final int MAX_RAW = 4 * MAX;

  private PersonName() {}

  /** The normalised name, or null when it is not a name by the rules above. */
  public static String normalize(String raw) {
    if (raw == null || raw.length() > MAX_RAW) {
      return null;
    }
    StringBuilder out = new StringBuilder(raw.length());
    int count = 0;
    boolean letter = false;
    boolean pendingSpace = false;
    for (int i = 0; i < raw.length(); ) {
      int cp = raw.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == ' ' || cp == '\u3000') {
        pendingSpace = count > 0; // leading spaces dropped, a run kept as one
        continue;
      }
      if (cp == '\u30FB' || cp == '\u2022') {
        cp = DOT;
      }
      if (cp != DOT && !letterOrMark(cp)) {
        return null;
      }
      if (pendingSpace) {
        out.append(' ');
        count++;
        pendingSpace = false;
      }
      letter |= cp != DOT;
      out.appendCodePoint(cp);
      count++;
    }
    // trailing spaces were never written; a name needs a letter, not only dots
    return letter && count >= MIN && count <= MAX ? out.toString() : null;
  }

  private static boolean letterOrMark(int cp) {
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER, Character.LOWERCASE_LETTER, Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER, Character.OTHER_LETTER, Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK, Character.COMBINING_SPACING_MARK -> {
        return true;
      }
      default -> {
        return false;
      }
    }
  }
}
