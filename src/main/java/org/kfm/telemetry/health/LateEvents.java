package org.kfm.telemetry.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The events a task found too late for the health checks since it last said so: counted per
 * pipeline, with the latest as an example, and logged as one warning at most once a minute.
 */
final class LateEvents {

  static final Duration LOG_EVERY = Duration.ofMinutes(1);
  private static final Logger LOG = LoggerFactory.getLogger(LateEvents.class);

  private final Duration allowedLateness;
  private final Map<String, Integer> byPipeline = new TreeMap<>();
  private String example;

  LateEvents(Duration allowedLateness) {
    this.allowedLateness = allowedLateness;
  }

  void note(RunFacts facts, String ts, long streamTime) {
    byPipeline.merge(HealthMetrics.pipelineTag(facts.pipeline()), 1, Integer::sum);
    example =
        "run "
            + facts.runId()
            + " at ts "
            + ts
            + ", stream time "
            + Instant.ofEpochMilli(streamTime);
  }

  /** Logs what was noted since the last call, if anything, and forgets it. */
  void log() {
    if (byPipeline.isEmpty()) {
      return;
    }
    int total = byPipeline.values().stream().mapToInt(Integer::intValue).sum();
    LOG.warn(
        "{} event(s) more than health.allowed-lateness ({}) behind stream time were not counted in the health "
            + "checks (kfm_health_late_events_total): {}; latest: {}",
        total,
        allowedLateness,
        byPipeline.entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(Collectors.joining(", ")),
        example);
    byPipeline.clear();
    example = null;
  }
}
