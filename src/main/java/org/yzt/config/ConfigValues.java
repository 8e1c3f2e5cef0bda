package org.yzt.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one way a {@code *Config} record reads a value. A number is a JSON number or a string of
 * digits, a flag a JSON boolean or {@code "true"}/{@code "false"} (a {@code YZT_*} override of a key
 * the file lacks arrives as text); a value out of range is refused with a one-line reason naming the
 * key, never clamped. The default a record passes is the one {@code conf/config.json} holds
 * ({@code ConfigDefaultsTest} keeps them equal, and fails on a key read here that the file lacks);
 * it applies only to a configuration that was not read through {@link ConfigLoader} (a test's).
 */
final class ConfigValues {
  /** Every key read so far, as {@code section.key} ({@code carriers[].timeoutMs} for an array's entries). */
  static final Set<String> READ = ConcurrentHashMap.newKeySet();

  private ConfigValues() {}

  static long positive(JsonObject section, String sectionName, String key, long dflt) {
    return atLeast(section, sectionName, key, 1, dflt);
  }

  /** A whole number of at least {@code min}. */
  static long atLeast(JsonObject section, String sectionName, String key, long min, long dflt) {
    Number given = number(section, sectionName, key, true);
    if (given == null) {
      return dflt;
    }
    long n = given.longValue();
    if (n < min) {
      throw new IllegalArgumentException(sectionName + "." + key
          + (min == 1 ? " must be positive" : " must be at least " + min));
    }
    return n;
  }

  /**
   * The number at {@code key}: a JSON number, or its text (what a {@code YZT_*} variable gives); null when
   * absent or blank (an empty variable), refused naming the key for any other text or JSON kind.
   */
  private static Number number(JsonObject section, String sectionName, String key, boolean whole) {
    Object v = value(section, sectionName, key);
    if (v instanceof Number num) {
      return num;
    }
    if (v == null || v instanceof String s && s.isBlank()) {
      return null;
    }
    if (v instanceof String s) {
      try {
        return whole ? (Number) Long.parseLong(s.trim()) : (Number) Double.parseDouble(s.trim());
      } catch (NumberFormatException e) {
        // refused below, as any other kind
      }
    }
    throw new IllegalArgumentException(sectionName + "." + key + " is not a number");
  }

  /** A whole number of at least {@code min} that must be given (the file gives it: there is no one default). */
  static long required(JsonObject section, String sectionName, String key, long min) {
    if (section.getValue(key) == null) {
      READ.add(sectionName + "." + key);
      throw new IllegalArgumentException(sectionName + "." + key + " is missing");
    }
    return atLeast(section, sectionName, key, min, 0);
  }

  /** A whole number of at least {@code min} that fits an int. */
  static int intAtLeast(JsonObject section, String sectionName, String key, int min, int dflt) {
    long n = atLeast(section, sectionName, key, min, dflt);
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(sectionName + "." + key + " is too large");
    }
    return (int) n;
  }

  /** A number from 0 to 1. */
  static double fraction(JsonObject section, String sectionName, String key, double dflt) {
    Number given = number(section, sectionName, key, false);
    if (given == null) {
      return dflt;
    }
    double d = given.doubleValue();
    if (!(d >= 0 && d <= 1)) {
      throw new IllegalArgumentException(sectionName + "." + key + " must be from 0 to 1");
    }
    return d;
  }

  static boolean flag(JsonObject section, String sectionName, String key, boolean dflt) {
    Object v = value(section, sectionName, key);
    if (v instanceof Boolean b) {
      return b;
    }
    if (v == null || v instanceof String s && s.isBlank()) {
      return dflt;
    }
    return switch (v instanceof String s ? s.trim() : "") {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException(sectionName + "." + key + " must be true or false");
    };
  }

  /** Text; null stands for "no default" (the key is then required by the caller, or optional). */
  static String text(JsonObject section, String sectionName, String key, String dflt) {
    Object v = value(section, sectionName, key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s) {
      return s;
    }
    throw new IllegalArgumentException(sectionName + "." + key + " must be a string");
  }

  /** A list of texts (numbers in it are taken as their text); absent: empty. */
  static List<String> texts(JsonObject section, String sectionName, String key) {
    Object v = value(section, sectionName, key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw new IllegalArgumentException(sectionName + "." + key + " must be an array");
    }
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      out.add(String.valueOf(o));
    }
    return List.copyOf(out);
  }

  /** The entries of an array of objects; absent: empty. */
  static List<JsonObject> entries(JsonObject config, String key) {
    // not a key of its own in READ: the keys of its entries are, as key[].name
    Object v = config.getValue(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof JsonArray a)) {
      throw new IllegalArgumentException(key + " must be an array");
    }
    List<JsonObject> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof JsonObject e)) {
        throw new IllegalArgumentException(key + "[] must hold objects");
      }
      out.add(e);
    }
    return out;
  }

  static JsonObject section(JsonObject config, String name) {
    return section(config, "", name);
  }

  /** An object below {@code parentName} (an empty one when absent). */
  static JsonObject section(JsonObject parent, String parentName, String name) {
    Object v = parent.getValue(name);
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject o)) {
      throw new IllegalArgumentException((parentName.isEmpty() ? "" : parentName + ".") + name + " must be an object");
    }
    return o;
  }

  private static Object value(JsonObject section, String sectionName, String key) {
    READ.add(sectionName.isEmpty() ? key : sectionName + "." + key);
    return section.getValue(key);
  }
}
