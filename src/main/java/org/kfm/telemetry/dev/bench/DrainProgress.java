package org.kfm.telemetry.dev.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * A drain's progress samples (time, raw records committed) and the rates taken from them: between
 * two points of the input (the steady rate from 20 % to 80 %, the last fifth), the rate over the
 * first {@value #FIRST} records after the first commit (so the group join and task start-up before
 * it are left out), and how many records were committed before the rate over the next {@value
 * #BLOCK} records first reached {@value #WARM_SHARE} of the steady rate.
 */
public final class DrainProgress {

  /** The records the goal gives a fresh JVM to reach its warm rate. */
  public static final long FIRST = 20_000;

  /** The span over which a rate is taken. */
  static final long BLOCK = 10_000;

  /** The share of the steady rate that counts as warm. */
  static final double WARM_SHARE = 0.9;

  private final List<long[]> samples = new ArrayList<>();

  /** Notes that {@code committed} records were committed at {@code nanos}. */
  public void sample(long nanos, long committed) {
    if (!samples.isEmpty() && samples.get(samples.size() - 1)[1] > committed) {
      return;
    }
    samples.add(new long[] {nanos, committed});
  }

  /**
   * Records/s from the first sample with at least {@code from} records committed to the first with
   * at least {@code to}; NaN when the samples do not reach {@code to} or span no time.
   */
  public double recordsPerSecondBetween(long from, long to) {
    long[] start = null;
    for (long[] s : samples) {
      if (start == null && s[1] >= from) {
        start = s;
      }
      if (start != null && s[1] >= to) {
        return s[0] > start[0] ? (s[1] - start[1]) / ((s[0] - start[0]) / 1e9) : Double.NaN;
      }
    }
    return Double.NaN;
  }

  /**
   * Records/s over the first {@value #FIRST} records after the first commit (or all of them, if
   * fewer), NaN when there is no such span.
   */
  public double firstRecordsPerSecond() {
    int from = firstCommit();
    if (from < 0) {
      return Double.NaN;
    }
    long[] start = samples.get(from);
    long[] last = samples.get(samples.size() - 1);
    long target = Math.min(start[1] + FIRST, last[1]);
    for (int j = from + 1; j < samples.size(); j++) {
      long[] s = samples.get(j);
      if (s[1] >= target && s[0] > start[0]) {
        return (s[1] - start[1]) / ((s[0] - start[0]) / 1e9);
      }
    }
    return Double.NaN;
  }

  /**
   * The records committed before the rate over the next {@value #BLOCK} first reached {@value
   * #WARM_SHARE} of {@code steadyRecordsPerSecond}; -1 if it never did.
   */
  public long warmAfterRecords(double steadyRecordsPerSecond) {
    for (int i = Math.max(0, firstCommit()); i < samples.size(); i++) {
      long[] from = samples.get(i);
      for (int j = i + 1; j < samples.size(); j++) {
        long[] to = samples.get(j);
        if (to[1] - from[1] >= BLOCK) {
          double rate = (to[1] - from[1]) / ((to[0] - from[0]) / 1e9);
          if (rate >= WARM_SHARE * steadyRecordsPerSecond) {
            return from[1];
          }
          break;
        }
      }
    }
    return -1;
  }

  /** The last sample before the first one with progress: where the records start moving. */
  private int firstCommit() {
    for (int i = 0; i < samples.size(); i++) {
      if (samples.get(i)[1] > 0) {
        return Math.max(0, i - 1);
      }
    }
    return -1;
  }
}
