package org.kfm.telemetry.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/**
 * Strict RFC 3339 {@code date-time} (section 5.6): {@code YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)},
 * with {@code T}/{@code Z} in either case, a mandatory zone, and a real calendar date. A leap
 * second ({@code :60}) is accepted only at 23:59 UTC. Hand-written because it runs on every record.
 */
public final class Rfc3339 {

  /** The outcome: an instant, or why there is none. */
  public record Result(Instant instant, Problem problem) {
    public boolean isOk() {
      return instant != null;
    }
  }

  /** Why a string is not an RFC 3339 date-time. */
  public enum Problem {
    /** Not of the date-time shape (or no zone). */
    FORMAT,
    /** The right shape, but no such date or time (February 30th, hour 24, offset +25:00). */
    RANGE
  }

  private static final Result FORMAT = new Result(null, Problem.FORMAT);
  private static final Result RANGE = new Result(null, Problem.RANGE);

  private Rfc3339() {}

  public static Result parse(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || (s.charAt(10) | 0x20) != 't'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return FORMAT;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if ((year | month | day | hour | minute | second) < 0) {
      return FORMAT;
    }
    int i = 19;
    int nanos = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && isDigit(s.charAt(i))) {
        if (i - start < 9) {
          nanos = nanos * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      if (i == start) {
        return FORMAT;
      }
      for (int k = i - start; k < 9; k++) {
        nanos *= 10;
      }
    }
    if (i >= n) {
      return FORMAT;
    }
    int offsetSeconds;
    char z = s.charAt(i);
    if ((z | 0x20) == 'z') {
      if (i + 1 != n) {
        return FORMAT;
      }
      offsetSeconds = 0;
    } else if (z == '+' || z == '-') {
      if (i + 6 != n || s.charAt(i + 3) != ':') {
        return FORMAT;
      }
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if ((oh | om) < 0) {
        return FORMAT;
      }
      if (oh > 23 || om > 59) {
        return RANGE;
      }
      offsetSeconds = (z == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return FORMAT;
    }
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) {
      return RANGE;
    }
    try {
      LocalDate date = LocalDate.of(year, month, day);
      boolean leap = second == 60;
      long epochSecond =
          date.toEpochDay() * 86_400L
              + hour * 3600L
              + minute * 60L
              + (leap ? 59 : second)
              - offsetSeconds;
      if (leap && Math.floorMod(epochSecond, 86_400L) != 86_399L) {
        return RANGE;
      }
      return new Result(Instant.ofEpochSecond(epochSecond, nanos), null);
    } catch (DateTimeException e) {
      return RANGE;
    }
  }

  /** Formats an instant the way the service writes timestamps: UTC, milliseconds, {@code Z}. */
  public static String format(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.MILLIS));
  }

  private static int digits(String s, int from, int count) {
    int value = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
