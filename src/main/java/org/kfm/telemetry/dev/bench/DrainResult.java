package org.kfm.telemetry.dev.bench;

import java.util.Map;

/**
 * One trial's drain of the preloaded raw topic.
 *
 * @param variant what ran
 * @param trial its number (1, 2, ...)
 * @param records the raw records drained
 * @param bytes their keys and values
 * @param seconds from {@code KafkaStreams#start()} until the application had committed all of its
 *     input topics to their ends
 * @param steadyRecordsPerSecond the rate at which raw offsets were committed from 20 % to 80 %
 * @param cpuSeconds CPU by thread group (see {@link ResourceSampler})
 * @param peakHeapBytes peak heap in use in this JVM (broker included)
 * @param peakRssBytes peak resident set size of this JVM
 * @param firstRecordsPerSecond the rate over the first {@link DrainProgress#FIRST} records after
 *     the first commit
 * @param warmAfterRecords the records committed before the rate first reached 90 % of the steady
 *     rate ({@link DrainProgress}), -1 if it never did
 * @param lastFifthRecordsPerSecond the rate from 80 % of the input to its end: with all of the
 *     drain's runs in the health stores, the rate to compare across sizes of {@code --records}
 * @param liveHeapBytes the heap in use in this JVM (broker included) after a full collection once
 *     the drain was done, its application still running with all of its state
 */
public record DrainResult(
    BenchVariant variant,
    int trial,
    long records,
    long bytes,
    double seconds,
    double steadyRecordsPerSecond,
    Map<String, Double> cpuSeconds,
    long peakHeapBytes,
    long peakRssBytes,
    double firstRecordsPerSecond,
    long warmAfterRecords,
    double lastFifthRecordsPerSecond,
    long liveHeapBytes) {

  public double recordsPerSecond() {
    return records / seconds;
  }

  public double megabytesPerSecond() {
    return bytes / seconds / 1e6;
  }

  /** Microseconds of stream-thread CPU per raw record. */
  public double streamCpuMicrosPerRecord() {
    return cpuSeconds.getOrDefault("stream threads", 0.0) * 1e6 / records;
  }
}
