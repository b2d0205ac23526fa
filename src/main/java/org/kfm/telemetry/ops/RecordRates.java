package org.kfm.telemetry.ops;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * This instance's rates of raw records by outcome ({@code kfm_records_total{outcome}}: valid, dlq,
 * duplicate), per second over the last minute: the counters are sampled every {@link #EVERY}.
 */
public final class RecordRates implements AutoCloseable {

  static final Duration EVERY = Duration.ofSeconds(5);
  static final Duration OVER = Duration.ofMinutes(1);
  static final List<String> OUTCOMES = List.of("valid", "dlq", "duplicate");

  private record Sample(long nanos, double[] totals) {}

  private final MeterRegistry meters;
  private final LongSupplier nanos;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final ScheduledExecutorService scheduler;

  RecordRates(MeterRegistry meters, LongSupplier nanos, boolean schedule) {
    this.meters = meters;
    this.nanos = nanos;
    sample();
    if (schedule) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "kfm-ops-rates");
                t.setDaemon(true);
                return t;
              });
      scheduler.scheduleAtFixedRate(
          this::sample, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    } else {
      scheduler = null;
    }
  }

  /** Samples {@code meters}' record counters every few seconds until closed. */
  public static RecordRates start(MeterRegistry meters) {
    return new RecordRates(meters, System::nanoTime, true);
  }

  synchronized void sample() {
    double[] totals = new double[OUTCOMES.size()];
    for (int i = 0; i < totals.length; i++) {
      Counter counter = meters.find("kfm.records").tag("outcome", OUTCOMES.get(i)).counter();
      totals[i] = counter == null ? 0 : counter.count();
    }
    long now = nanos.getAsLong();
    samples.addLast(new Sample(now, totals));
    // keep the newest sample at least OVER old, and everything after it
    while (samples.size() > 2) {
      Sample second = samples.stream().skip(1).findFirst().orElseThrow();
      if (now - second.nanos() >= OVER.toNanos()) {
        samples.removeFirst();
      } else {
        break;
      }
    }
  }

  /**
   * {@code {"over_seconds": s, "valid_per_second": .., "dlq_per_second": ..,
   * "duplicate_per_second": .., "valid_total": .., ...}}: the rates between the oldest and newest
   * samples (0 before a second sample), and the totals since this instance started.
   */
  public synchronized ObjectNode json() {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    Sample first = samples.getFirst();
    Sample last = samples.getLast();
    double seconds = (last.nanos() - first.nanos()) / 1e9;
    out.put("over_seconds", Math.round(seconds));
    for (int i = 0; i < OUTCOMES.size(); i++) {
      double rate = seconds <= 0 ? 0 : (last.totals()[i] - first.totals()[i]) / seconds;
      out.put(OUTCOMES.get(i) + "_per_second", Math.round(rate * 10) / 10.0);
    }
    for (int i = 0; i < OUTCOMES.size(); i++) {
      out.put(OUTCOMES.get(i) + "_total", (long) last.totals()[i]);
    }
    return out;
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
