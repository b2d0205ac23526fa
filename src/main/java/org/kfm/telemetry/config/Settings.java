package org.kfm.telemetry.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;

/**
 * The flat settings of one load (file and environment merged), read by key with the key's default
 * from {@link ConfigKeys#DEFAULTS}; a value of the wrong type is a {@link ConfigError} naming its
 * key.
 */
final class Settings {

  private final Map<String, String> values;

  Settings(Map<String, String> values) {
    this.values = values;
  }

  /** The settings as given, without defaults: dotted key to value. */
  Map<String, String> given() {
    return values;
  }

  /** The value of {@code key}, trimmed, or its default. */
  String get(String key) {
    return values.getOrDefault(key, ConfigKeys.DEFAULTS.get(key)).trim();
  }

  String string(String key) {
    String v = get(key);
    if (v.isEmpty()) {
      throw new ConfigError(key, "must not be empty");
    }
    return v;
  }

  Duration duration(String key, boolean zeroAllowed) {
    String v = get(key);
    Duration d = Durations.parse(v);
    if (d == null) {
      throw new ConfigError(key, quote(key, v) + " is not a duration (use 24h, 90m or PT1H)");
    }
    if (d.isNegative() || !zeroAllowed && d.isZero()) {
      throw new ConfigError(
          key, quote(key, v) + " must be " + (zeroAllowed ? "zero or more" : "more than zero"));
    }
    return d;
  }

  int positiveInt(String key) {
    int n = nonNegativeInt(key);
    if (n == 0) {
      throw new ConfigError(key, "must be more than zero");
    }
    return n;
  }

  int nonNegativeInt(String key) {
    String v = get(key);
    try {
      int n = Integer.parseInt(v);
      if (n < 0) {
        throw new ConfigError(key, quote(key, v) + " must not be negative");
      }
      return n;
    } catch (NumberFormatException e) {
      throw new ConfigError(key, quote(key, v) + " is not a whole number");
    }
  }

  double pct(String key) {
    String v = get(key);
    try {
      double d = Double.parseDouble(v);
      if (!(d >= 0 && d <= 100)) {
        throw new ConfigError(key, quote(key, v) + " is not a percentage (0..100)");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigError(key, quote(key, v) + " is not a number (a percentage, e.g. 97.5)");
    }
  }

  boolean bool(String key) {
    String v = get(key).toLowerCase(Locale.ROOT);
    if (v.equals("true") || v.equals("false")) {
      return Boolean.parseBoolean(v);
    }
    throw new ConfigError(key, quote(key, v) + " is not true or false");
  }

  private static String quote(String key, String value) {
    return "\"" + Secrets.mask(key, value) + "\"";
  }
}
