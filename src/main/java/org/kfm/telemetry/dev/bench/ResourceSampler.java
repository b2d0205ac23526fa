package org.kfm.telemetry.dev.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this JVM spends during a trial: CPU by thread group (the trial's stream threads, their
 * producer I/O, everything else in the JVM — the in-process broker, the benchmark itself — and what
 * no Java thread accounts for: JIT compilation and GC), the peak heap in use and resident set size,
 * sampled, and the heap left alive after a full collection at the end.
 */
final class ResourceSampler {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final String applicationId;
  private final Map<Long, Long> startCpu = new HashMap<>();
  private final long startProcessCpu;
  private long peakHeap;
  private long peakRss;

  /** Starts measuring now; {@code applicationId} tells the trial's threads from the others. */
  ResourceSampler(String applicationId) {
    this.applicationId = applicationId;
    for (long id : threads.getAllThreadIds()) {
      startCpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
    }
    startProcessCpu = os.getProcessCpuTime();
    sample();
  }

  /** Takes one sample of heap and RSS. */
  void sample() {
    peakHeap = Math.max(peakHeap, memory.getHeapMemoryUsage().getUsed());
    peakRss = Math.max(peakRss, rss());
  }

  /** CPU seconds since the start, by group, and in all. */
  Map<String, Double> cpuSeconds() {
    Map<String, Double> groups = new LinkedHashMap<>();
    groups.put("stream threads", 0.0);
    groups.put("stream producer I/O", 0.0);
    groups.put("broker and the rest of the JVM", 0.0);
    double javaThreads = 0;
    long[] ids = threads.getAllThreadIds();
    ThreadInfo[] infos = threads.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] == null) {
        continue;
      }
      long cpu = threads.getThreadCpuTime(ids[i]);
      if (cpu < 0) {
        continue;
      }
      double seconds = (cpu - startCpu.getOrDefault(ids[i], 0L)) / 1e9;
      String name = infos[i].getThreadName();
      String group =
          !name.contains(applicationId)
              ? "broker and the rest of the JVM"
              : name.startsWith("kafka-producer-network-thread")
                  ? "stream producer I/O"
                  : name.contains("StreamThread")
                      ? "stream threads"
                      : "broker and the rest of the JVM";
      groups.merge(group, seconds, Double::sum);
      javaThreads += seconds;
    }
    double process = (os.getProcessCpuTime() - startProcessCpu) / 1e9;
    groups.put("JIT and GC (no Java thread)", Math.max(0, process - javaThreads));
    groups.put("process", process);
    return groups;
  }

  long peakHeapBytes() {
    return peakHeap;
  }

  long peakRssBytes() {
    return peakRss;
  }

  /**
   * The heap in use right after a full collection: what this JVM (broker included) keeps alive now.
   * Collects, so call it only once the measured work is done.
   */
  long liveHeapBytes() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static long rss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0; // not Linux: RSS is not reported
    }
    return 0;
  }
}
