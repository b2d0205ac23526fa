package org.kfm.telemetry.dev.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Produce-to-output latency of one variant at a fixed offered load.
 *
 * @param variant what ran
 * @param rate records offered per second
 * @param seconds how long they were offered
 * @param measured how many output records were measured (after the warm-up)
 * @param p50Millis median latency
 * @param p99Millis 99th percentile
 * @param maxMillis the largest
 */
public record LatencyResult(
    BenchVariant variant,
    int rate,
    long seconds,
    int measured,
    double p50Millis,
    double p99Millis,
    double maxMillis) {

  static LatencyResult of(BenchVariant variant, int rate, long seconds, List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    Collections.sort(sorted);
    if (sorted.isEmpty()) {
      return new LatencyResult(variant, rate, seconds, 0, Double.NaN, Double.NaN, Double.NaN);
    }
    return new LatencyResult(
        variant,
        rate,
        seconds,
        sorted.size(),
        sorted.get((int) (0.50 * (sorted.size() - 1))) / 1e6,
        sorted.get((int) (0.99 * (sorted.size() - 1))) / 1e6,
        sorted.get(sorted.size() - 1) / 1e6);
  }
}
