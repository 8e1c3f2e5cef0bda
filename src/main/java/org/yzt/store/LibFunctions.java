package org.yzt.store;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The functions of {@code lua/lib/} parts that one script uses, and no others. Redis runs a script's whole
 * text on every call, so each {@code local function} of a library put in front is a closure made on every
 * call whether the script calls it or not: the code script made thirteen, five of them never called, and
 * leaving those five out takes 1.5–3.5 % of the instructions Redis runs per code (callgrind, bench/README.md,
 * "The code path's Redis cost").
 *
 * <p>A library's functions are written {@code local function name(…)} at the start of a line and end with
 * a line that is {@code end} alone; the comment lines just above one belong to it. A function is kept
 * when its name appears, as a word, in the code (not the comments) of the script's own parts, of a
 * library's lines outside any function, or of a kept function.
 */
final class LibFunctions {
  private static final Pattern START = Pattern.compile("^local function ([A-Za-z_][A-Za-z0-9_]*)\\(");

  private LibFunctions() {}

  /** A library's text cut into its functions (by name, in order) and the rest. */
  private record Lib(List<Object> pieces) {}

  /** One function of a library: its comment lines above, its text. */
  private record Fn(String name, String text) {}

  /**
   * The parts as one script, in order, with each library's ({@code isLib}) unused functions left out.
   *
   * @throws IllegalStateException when a library's function does not end as described above
   */
  static String join(List<String> texts, List<Boolean> isLib) {
    List<Object> parts = new ArrayList<>();
    Map<String, Fn> functions = new LinkedHashMap<>();
    StringBuilder roots = new StringBuilder();
    for (int i = 0; i < texts.size(); i++) {
      if (isLib.get(i)) {
        Lib lib = cut(texts.get(i));
        for (Object p : lib.pieces()) {
          if (p instanceof Fn f) {
            functions.put(f.name(), f);
          } else {
            roots.append(p);
          }
        }
        parts.add(lib);
      } else {
        roots.append(texts.get(i));
        parts.add(texts.get(i));
      }
    }
    Set<String> kept = new HashSet<>();
    List<String> todo = new ArrayList<>(List.of(roots.toString()));
    while (!todo.isEmpty()) {
      String text = todo.remove(todo.size() - 1);
      for (Fn f : functions.values()) {
        if (!kept.contains(f.name()) && mentions(text, f.name())) {
          kept.add(f.name());
          todo.add(f.text());
        }
      }
    }
    StringBuilder out = new StringBuilder();
    for (Object p : parts) {
      if (p instanceof Lib lib) {
        for (Object piece : lib.pieces()) {
          if (piece instanceof Fn f) {
            if (kept.contains(f.name())) {
              out.append(f.text());
            }
          } else {
            out.append(piece);
          }
        }
      } else {
        out.append(p);
      }
      out.append('\n');
    }
    return out.toString();
  }

  private static final Pattern COMMENT = Pattern.compile("--[^\n]*");

  /** Whether {@code name} appears as a word in {@code text}'s code (comments, which name functions too, left out). */
  private static boolean mentions(String text, String name) {
    return Pattern.compile("(?<![A-Za-z0-9_])" + Pattern.quote(name) + "(?![A-Za-z0-9_])")
        .matcher(COMMENT.matcher(text).replaceAll("")).find();
  }

  private static Lib cut(String text) {
    List<Object> pieces = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    StringBuilder loose = new StringBuilder();
    List<String> comments = new ArrayList<>();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher m = START.matcher(line);
      if (m.find()) {
        StringBuilder fn = new StringBuilder();
        comments.forEach(c -> fn.append(c).append('\n'));
        comments.clear();
        pieces.add(loose.toString());
        loose.setLength(0);
        int j = i;
        for (; j < lines.length && !lines[j].equals("end"); j++) {
          if (j > i && START.matcher(lines[j]).find()) {
            throw new IllegalStateException("lua library function " + m.group(1) + " has no line 'end' before the next");
          }
          fn.append(lines[j]).append('\n');
        }
        if (j == lines.length) {
          throw new IllegalStateException("lua library function " + m.group(1) + " has no line 'end'");
        }
        fn.append("end\n");
        pieces.add(new Fn(m.group(1), fn.toString()));
        i = j;
      } else if (line.startsWith("--")) {
        comments.add(line);
      } else {
        comments.forEach(c -> loose.append(c).append('\n'));
        comments.clear();
        loose.append(line).append(i < lines.length - 1 ? "\n" : "");
      }
    }
    comments.forEach(c -> loose.append(c).append('\n'));
    pieces.add(loose.toString());
    return new Lib(pieces);
  }
}
