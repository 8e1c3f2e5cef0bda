package org.yzt.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the configuration of SPEC §5 through vertx-config: {@code conf/config.json} (on disk, or
 * the copy inside the jar), then — when the profile is not {@code dev} — the prod overlay
 * {@code conf/prod.json} beside it (the defaults that differ in prod, such as {@code redis.embedded}
 * false, so that a prod configuration need not mention dev conveniences), then the {@code -conf}
 * file deep-merged over them, then {@code YZT_*} environment variables, each overriding one value
 * ({@code YZT_HTTP_PORT} → {@code http.port}).
 */
public final class ConfigLoader {
  public static final String DEFAULTS = "conf/config.json";
  public static final String PROD_OVERLAY = "conf/prod.json";
  public static final String ENV_PREFIX = "YZT_";

  private ConfigLoader() {}

  public static Future<JsonObject> load(Vertx vertx, String confFile, Map<String, String> env) {
    // the profile is known only once everything is merged: read again with the overlay when it is not dev
    return load(vertx, confFile, env, false).compose(c -> "dev".equals(c.getString("profile"))
        ? Future.succeededFuture(c) : load(vertx, confFile, env, true));
  }

  private static Future<JsonObject> load(Vertx vertx, String confFile, Map<String, String> env, boolean prod) {
    ConfigRetrieverOptions options = new ConfigRetrieverOptions().setScanPeriod(0).setIncludeDefaultStores(false);
    options.addStore(fileStore(DEFAULTS, false));
    if (prod) {
      options.addStore(fileStore(PROD_OVERLAY, false));
    }
    if (confFile != null) {
      options.addStore(fileStore(confFile, false));
    }
    // the YZT_* variables only, as a last store; the processor below moves each to its path
    JsonObject overrides = new JsonObject();
    env.forEach((k, v) -> {
      if (k.startsWith(ENV_PREFIX)) {
        overrides.put(k, v);
      }
    });
    if (!overrides.isEmpty()) {
      options.addStore(new ConfigStoreOptions().setType("json").setConfig(overrides));
    }
    ConfigRetriever retriever = ConfigRetriever.create(vertx, options);
    retriever.setConfigurationProcessor(ConfigLoader::applyEnvironment);
    return retriever.getConfig().eventually(retriever::close);
  }

  private static ConfigStoreOptions fileStore(String path, boolean optional) {
    return new ConfigStoreOptions().setType("file").setFormat("json").setOptional(optional)
        .setConfig(new JsonObject().put("path", path));
  }

  /** Moves each flat {@code YZT_A_B_C} entry that the env store added to the path {@code a.b.c}. */
  static JsonObject applyEnvironment(JsonObject merged) {
    JsonObject out = merged.copy();
    for (String key : merged.fieldNames()) {
      if (key.startsWith(ENV_PREFIX)) {
        Object raw = out.remove(key);
        setPath(out, key.substring(ENV_PREFIX.length()).split("_"), raw == null ? null : raw.toString());
      }
    }
    return out;
  }

  /** Segments match existing keys case-insensitively; a number indexes an array. */
  static void setPath(JsonObject root, String[] segments, String value) {
    Object node = root;
    for (int i = 0; i < segments.length; i++) {
      boolean last = i == segments.length - 1;
      String seg = segments[i];
      if (node instanceof JsonObject obj) {
        String name = matchKey(obj, seg);
        if (last) {
          obj.put(name, coerce(obj.getValue(name), value));
          return;
        }
        Object next = obj.getValue(name);
        if (next == null) {
          next = new JsonObject();
          obj.put(name, next);
        }
        node = next;
      } else if (node instanceof JsonArray arr) {
        int idx;
        try {
          idx = Integer.parseInt(seg);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("environment override names no array index: " + seg);
        }
        if (idx < 0 || idx >= arr.size()) {
          throw new IllegalArgumentException("environment override index out of range: " + idx);
        }
        if (last) {
          arr.set(idx, coerce(arr.getValue(idx), value));
          return;
        }
        node = arr.getValue(idx);
      } else {
        throw new IllegalArgumentException("environment override goes below a plain value at " + seg);
      }
    }
  }

  private static String matchKey(JsonObject obj, String segment) {
    for (String k : obj.fieldNames()) {
      if (k.equalsIgnoreCase(segment)) {
        return k;
      }
    }
    // an unknown key keeps the conventional lower-camel spelling of a single word
    return segment.toLowerCase(Locale.ROOT);
  }

  /** Gives the value the type of the value it replaces; JSON text for arrays and objects. */
  private static Object coerce(Object existing, String value) {
    if (value == null) {
      return null;
    }
    String v = value.trim();
    if (existing instanceof Integer || existing instanceof Long) {
      return Long.parseLong(v);
    }
    if (existing instanceof Number) {
      return Double.parseDouble(v);
    }
    if (existing instanceof Boolean) {
      return Boolean.parseBoolean(v);
    }
    if (existing instanceof JsonArray || (existing == null && v.startsWith("["))) {
      return new JsonArray(v);
    }
    if (existing instanceof JsonObject || (existing == null && v.startsWith("{"))) {
      return new JsonObject(v);
    }
    return value;
  }
}
