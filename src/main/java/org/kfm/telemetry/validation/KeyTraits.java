package org.kfm.telemetry.validation;

import java.util.Set;

/**
 * What an object key says about its value: a secret, personal data, a coordinate, a count or
 * duration, a percentage, a digest. Classification is by name only and cached, since the same few
 * keys recur in every record.
 */
public final class KeyTraits {

  public static final int SECRET = 1;
  public static final int PASSWORD = 1 << 1;
  public static final int PII = 1 << 2;
  public static final int COORDINATE = 1 << 3;
  public static final int COORDINATES = 1 << 4;
  public static final int GEOMETRY_TEXT = 1 << 5;
  public static final int MEASURE = 1 << 6;
  public static final int PERCENT = 1 << 7;
  public static final int DIGEST = 1 << 8;

  /** The key itself holds a secret or personal data (e.g. a token used as a map key). */
  public static final int SENSITIVE_KEY = 1 << 9;

  /**
   * A two-way set-associative cache of immutable entries: reads and racy writes need no locks, a
   * collision just replaces an entry, and its size is fixed whatever names arrive (keys of
   * payloads, or names found in free text), so no input can make it grow.
   */
  private static final Entry[] CACHE = new Entry[4096];

  private record Entry(String key, int traits) {}

  private static final String[] SECRET_SUFFIXES = {
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "privatekey",
    "secretkey",
    "authorization",
    "credential",
    "credentials",
    "cookie",
    "sessionkey",
    "secretaccesskey",
    "pwd",
    "accountkey",
    "sharedaccesskey",
    "signingkey",
    "encryptionkey"
  };
  private static final Set<String> SECRET_NAMES =
      Set.of("passwords", "secrets", "tokens", "apikeys", "privatekeys");
  private static final String[] PASSWORD_SUFFIXES = {"password", "passwd", "passphrase", "secret"};
  private static final String[] PII_SUFFIXES = {
    "email",
    "emailaddress",
    "phone",
    "phonenumber",
    "mobilenumber",
    "telephone",
    "ssn",
    "socialsecuritynumber",
    "dateofbirth",
    "birthdate",
    "streetaddress",
    "homeaddress"
  };
  private static final Set<String> PII_NAMES =
      Set.of("mobile", "tel", "dob", "fullname", "firstname", "lastname", "surname");

  /** Words that make a key a coordinate when they are one of its words (user_lat, latitude_deg). */
  private static final Set<String> COORDINATE_WORDS =
      Set.of("lat", "latitude", "lon", "lng", "longitude");

  private static final Set<String> COORDINATES_NAMES =
      Set.of(
          "coordinates",
          "coords",
          "bbox",
          "bboxwgs84",
          "center",
          "centroid",
          "point",
          "position",
          "latlon",
          "lonlat",
          "latlng",
          "lnglat",
          "bounds",
          "extent",
          "path");

  /** Words of keys whose text may hold coordinates (geometry_wkt, location). */
  private static final Set<String> GEOMETRY_TEXT_WORDS =
      Set.of(
          "geometry",
          "geom",
          "wkt",
          "location",
          "coordinates",
          "latlon",
          "lonlat",
          "latlng",
          "point",
          "position");

  private static final String[] MEASURE_SUFFIXES = {
    "_ms",
    "_us",
    "_ns",
    "_sec",
    "_secs",
    "_seconds",
    "_minutes",
    "_hours",
    "_days",
    "_bytes",
    "_kb",
    "_mb",
    "_gb",
    "_count",
    "_tokens",
    "_kwh",
    "_kwh_est",
    "_kgco2e",
    "_kgco2e_est",
    "_retries",
    "_attempts",
    "_checked",
    "_considered",
    "_cited",
    "_flagged"
  };
  private static final String[] MEASURE_PREFIXES = {
    "records_",
    "rows_",
    "files_",
    "bytes_",
    "duration",
    "latency",
    "count_",
    "num_",
    "runs_",
    "sources_",
    "window_"
  };
  private static final Set<String> MEASURE_NAMES =
      Set.of(
          "count",
          "duration",
          "latency",
          "warnings",
          "errors",
          "retries",
          "attempts",
          "size",
          "bytes",
          "records",
          "tokens");

  /**
   * Words of keys whose numbers are legitimately negative (tz_offset_minutes, records_change_pct).
   */
  private static final String[] SIGNED_WORDS = {
    "offset", "delta", "diff", "skew", "change", "drift", "tz", "utc"
  };

  private KeyTraits() {}

  public static int of(String key) {
    int hash = key.hashCode();
    int first = hash & (CACHE.length - 1);
    int second = (hash >>> 12 ^ hash * 0x9E3779B1) & (CACHE.length - 1);
    Entry entry = CACHE[first];
    if (entry != null && (entry.key == key || entry.key.equals(key))) {
      return entry.traits;
    }
    Entry other = CACHE[second];
    if (other != null && (other.key == key || other.key.equals(key))) {
      return other.traits;
    }
    int traits = classify(key);
    // Two candidate slots: two common keys that share one slot do not evict each other forever.
    CACHE[entry == null || other != null ? first : second] = new Entry(key, traits);
    return traits;
  }

  public static boolean has(int traits, int trait) {
    return (traits & trait) != 0;
  }

  private static int classify(String key) {
    String snake = snakeCase(key);
    String squashed = snake.replace("_", "");
    String[] words = snake.split("_");
    int traits = 0;
    if (endsWithAny(squashed, SECRET_SUFFIXES) || SECRET_NAMES.contains(squashed)) {
      traits |= SECRET;
    }
    if (endsWithAny(squashed, PASSWORD_SUFFIXES)) {
      traits |= PASSWORD;
    }
    if (endsWithAny(squashed, PII_SUFFIXES) || PII_NAMES.contains(squashed)) {
      traits |= PII;
    }
    if (anyWordIn(words, COORDINATE_WORDS) || squashed.equals("long")) {
      traits |= COORDINATE;
    }
    if (COORDINATES_NAMES.contains(squashed)) {
      traits |= COORDINATES;
    }
    if (anyWordIn(words, GEOMETRY_TEXT_WORDS) || GEOMETRY_TEXT_WORDS.contains(squashed)) {
      traits |= GEOMETRY_TEXT;
    }
    boolean signed = false;
    for (String word : SIGNED_WORDS) {
      signed |= snake.contains(word);
    }
    if (!signed
        && (endsWithAny(snake, MEASURE_SUFFIXES)
            || startsWithAny(snake, MEASURE_PREFIXES)
            || MEASURE_NAMES.contains(snake))) {
      traits |= MEASURE;
    }
    if (!signed
        && (snake.endsWith("_pct") || snake.endsWith("percent") || snake.endsWith("percentage"))) {
      traits |= PERCENT;
      traits &= ~MEASURE;
    }
    if (!TextScanner.scan(key).isEmpty()) {
      traits |= SENSITIVE_KEY;
    }
    if (snake.equals("digest")
        || snake.endsWith("_digest")
        || snake.endsWith("_hash")
        || snake.equals("idempotency_key")) {
      traits |= DIGEST;
    }
    return traits;
  }

  /** {@code elapsedMs}, {@code elapsed-ms} and {@code ELAPSED_MS} all become {@code elapsed_ms}. */
  public static String snakeCase(String key) {
    StringBuilder out = new StringBuilder(key.length() + 4);
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isUpperCase(c)) {
        boolean wordStart =
            i > 0
                && (Character.isLowerCase(key.charAt(i - 1))
                    || Character.isDigit(key.charAt(i - 1))
                    || (i + 1 < key.length()
                        && Character.isLowerCase(key.charAt(i + 1))
                        && Character.isUpperCase(key.charAt(i - 1))));
        if (wordStart) {
          out.append('_');
        }
        out.append(Character.toLowerCase(c));
      } else if (c == '-' || c == '.' || c == ' ') {
        out.append('_');
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static boolean anyWordIn(String[] words, Set<String> set) {
    for (String word : words) {
      if (set.contains(word)) {
        return true;
      }
    }
    return false;
  }

  private static boolean endsWithAny(String s, String[] suffixes) {
    for (String suffix : suffixes) {
      if (s.endsWith(suffix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String s, String[] prefixes) {
    for (String prefix : prefixes) {
      if (s.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
