package org.kfm.telemetry.dev.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The benchmark's results as Markdown: every trial, the medians per variant, their ratios to the
 * passthroughs.
 */
public final class BenchReport {

  private final List<DrainResult> drains = new ArrayList<>();
  private final List<LatencyResult> latencies = new ArrayList<>();
  private final List<RestoreResult> restores = new ArrayList<>();

  public void add(RestoreResult result) {
    restores.add(result);
  }

  public void add(DrainResult result) {
    drains.add(result);
  }

  public void add(LatencyResult result) {
    latencies.add(result);
  }

  /** The report; {@code header} says what ran (machine, command, input). */
  public String markdown(String header) {
    StringBuilder out = new StringBuilder(header).append("\n\n");
    Map<BenchVariant, List<DrainResult>> byVariant = new EnumMap<>(BenchVariant.class);
    drains.forEach(d -> byVariant.computeIfAbsent(d.variant(), v -> new ArrayList<>()).add(d));
    double passthrough =
        median(byVariant.get(BenchVariant.PASSTHROUGH), DrainResult::recordsPerSecond);
    double passthroughSteady =
        median(byVariant.get(BenchVariant.PASSTHROUGH), DrainResult::steadyRecordsPerSecond);
    double shape = median(byVariant.get(BenchVariant.SHAPE), DrainResult::recordsPerSecond);
    double passthroughCpu =
        median(byVariant.get(BenchVariant.PASSTHROUGH), DrainResult::streamCpuMicrosPerRecord);
    out.append(
            "| variant | records/s end to end (median) | MB/s | steady records/s | ÷ passthrough "
                + "(end to end / steady) | ÷ same-shape passthrough | stream-thread CPU µs/record | "
                + "× passthrough's |\n")
        .append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    byVariant.forEach(
        (variant, results) -> {
          double e2e = median(results, DrainResult::recordsPerSecond);
          double steady = median(results, DrainResult::steadyRecordsPerSecond);
          double cpu = median(results, DrainResult::streamCpuMicrosPerRecord);
          out.append(
              String.format(
                  Locale.ROOT,
                  "| %s | %,.0f | %.1f | %,.0f | %s / %s | %s | %.1f | %s |%n",
                  variant.label(),
                  e2e,
                  median(results, DrainResult::megabytesPerSecond),
                  steady,
                  ratio(e2e, passthrough),
                  ratio(steady, passthroughSteady),
                  ratio(e2e, shape),
                  cpu,
                  ratio(cpu, passthroughCpu)));
        });
    out.append(
            "\nEvery trial (CPU seconds by thread group; peak heap and RSS of the whole JVM, the "
                + "broker included when it runs in it; *first 20k*: the rate over the first 20,000 records after the first "
                + "commit, as a share of the trial's steady rate; *warm after*: the records "
                + "committed before a 10,000-record span first ran at 90 % of the steady rate; "
                + "*last fifth*: the rate from 80 % of the input to its end, when the stores hold "
                + "the most; *live heap MB*: the heap in use after a full collection once the drain was done):\n\n")
        .append(
            "| trial | variant | s | records/s | steady | stream threads | stream producer I/O | "
                + "broker and the rest | JIT and GC | process | heap MB | RSS MB | first 20k | "
                + "warm after | last fifth | live heap MB |\n")
        .append(
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    drains.stream()
        .sorted(Comparator.comparing(DrainResult::trial))
        .forEach(
            d ->
                out.append(
                    String.format(
                        Locale.ROOT,
                        "| %d | %s | %.1f | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f | %.1f | %d | %d | %s | %s"
                            + " | %,.0f | %d |%n",
                        d.trial(),
                        d.variant().label(),
                        d.seconds(),
                        d.recordsPerSecond(),
                        d.steadyRecordsPerSecond(),
                        d.cpuSeconds().getOrDefault("stream threads", 0.0),
                        d.cpuSeconds().getOrDefault("stream producer I/O", 0.0),
                        d.cpuSeconds().getOrDefault("broker and the rest of the JVM", 0.0),
                        d.cpuSeconds().getOrDefault("JIT and GC (no Java thread)", 0.0),
                        d.cpuSeconds().getOrDefault("process", 0.0),
                        d.peakHeapBytes() >> 20,
                        d.peakRssBytes() >> 20,
                        ratio(d.firstRecordsPerSecond(), d.steadyRecordsPerSecond()),
                        d.warmAfterRecords() < 0
                            ? "never"
                            : String.format(Locale.ROOT, "%,d", d.warmAfterRecords()),
                        d.lastFifthRecordsPerSecond(),
                        d.liveHeapBytes() >> 20)));
    if (!latencies.isEmpty()) {
      out.append("\nProduce → output latency at a fixed offered load (read_committed):\n\n")
          .append(
              "| variant | offered records/s | seconds | measured | p50 ms | p99 ms | max ms |\n")
          .append("| --- | --- | --- | --- | --- | --- | --- |\n");
      for (LatencyResult l : latencies) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %,d | %d | %,d | %.1f | %.1f | %.1f |%n",
                l.variant().label(),
                l.rate(),
                l.seconds(),
                l.measured(),
                l.p50Millis(),
                l.p99Millis(),
                l.maxMillis()));
      }
    }
    for (RestoreResult r : restores) {
      out.append(
              String.format(
                  Locale.ROOT,
                  "%nRestore: the state directory of a %s application that drained %,d records"
                      + " deleted, a fresh instance was RUNNING with every store restored from its"
                      + " changelogs after **%.1f s**. Changelog records restored per store:%n%n",
                  r.variant().label(),
                  r.records(),
                  r.seconds()))
          .append("| store | records restored |\n| --- | --- |\n");
      r.restored()
          .forEach(
              (store, count) ->
                  out.append(String.format(Locale.ROOT, "| %s | %,d |%n", store, count)));
    }
    return out.toString();
  }

  private static double median(List<DrainResult> results, ToDoubleFunction<DrainResult> value) {
    if (results == null || results.isEmpty()) {
      return Double.NaN;
    }
    double[] values = results.stream().mapToDouble(value).sorted().toArray();
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  private static String ratio(double value, double base) {
    return Double.isNaN(value) || Double.isNaN(base) || base == 0
        ? "—"
        : String.format(Locale.ROOT, "%.2f", value / base);
  }
}
