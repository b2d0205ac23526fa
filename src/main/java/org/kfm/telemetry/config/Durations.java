package org.kfm.telemetry.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 90m}, {@code 24h}, {@code
 * 7d}, or ISO-8601 {@code PT1H}.
 */
public final class Durations {

  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** The duration {@code text} means, or null when it is not one. */
  public static Duration parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = SHORT.matcher(t);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.ofMillis(n);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      if (t.startsWith("p") || t.startsWith("-p")) {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      }
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      return null;
    }
    return null;
  }

  /** The short form of {@code d}: {@code 24h}, {@code 90m}, {@code 30s}, {@code 500ms}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms % 86_400_000L == 0 && ms >= 86_400_000L * 7) {
      return ms / 86_400_000L + "d";
    }
    if (ms % 3_600_000L == 0) {
      return ms / 3_600_000L + "h";
    }
    if (ms % 60_000L == 0) {
      return ms / 60_000L + "m";
    }
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
