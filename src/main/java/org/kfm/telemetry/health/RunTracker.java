package org.kfm.telemetry.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kfm.telemetry.config.HealthConfig;

/**
 * Folds valid events into per-run state (keyed by run.run_id) at their clamped event time (the
 * record time {@link ClampedEventTime} gives them) and, whenever a checked run's outcome changes,
 * forwards a {@link RunChange} keyed by its pipeline and by the fleet scope {@code "*"}. An event
 * more than {@code health.allowed-lateness} behind stream time is too late: counted per pipeline
 * and logged once a minute, never folded in. A checked run is forgotten allowed-lateness + grace
 * after its latest event, a run still waiting for its terminal event window + allowed-lateness
 * after it; an index ordered by expiry time finds them without reading every run.
 */
public final class RunTracker implements Processor<String, RunEvent, String, RunChange> {

  /** The fleet-wide scope. */
  public static final String FLEET = "*";

  private final String runStoreName;
  private final String expiryStoreName;
  private final long latenessMs;
  private final long checkedRetentionMs;
  private final long openRetentionMs;
  private final long bucketMs;
  private final HealthMetrics metrics;
  private final LateEvents late;
  private ProcessorContext<String, RunChange> context;
  private KeyValueStore<String, RunState> runs;
  private KeyValueStore<String, String> expiry;

  public RunTracker(
      String runStoreName, String expiryStoreName, HealthConfig config, HealthMetrics metrics) {
    this.runStoreName = runStoreName;
    this.expiryStoreName = expiryStoreName;
    this.latenessMs = config.allowedLateness().toMillis();
    this.checkedRetentionMs = config.allowedLateness().plus(config.grace()).toMillis();
    this.openRetentionMs = config.window().plus(config.allowedLateness()).toMillis();
    this.bucketMs = config.evaluationInterval().toMillis();
    this.metrics = metrics;
    this.late = new LateEvents(config.allowedLateness());
  }

  @Override
  public void init(ProcessorContext<String, RunChange> context) {
    this.context = context;
    this.runs = context.getStateStore(runStoreName);
    this.expiry = context.getStateStore(expiryStoreName);
    context.schedule(Duration.ofMillis(bucketMs), PunctuationType.STREAM_TIME, this::expire);
    context.schedule(LateEvents.LOG_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> late.log());
  }

  @Override
  public void process(Record<String, RunEvent> record) {
    RunEvent event = record.value();
    RunFacts facts = event.facts();
    long time = record.timestamp();
    boolean clamped = ClampedEventTime.isClamped(event.eventTimeMs(), time);
    if (clamped) {
      metrics.clamped(facts.pipeline());
    }
    if (facts.runId() == null) {
      return;
    }
    long streamTime = context.currentStreamTimeMs();
    if (time < streamTime - latenessMs) {
      metrics.late(facts.pipeline());
      late.note(facts, event.ts(), streamTime);
      return;
    }
    RunState before = runs.get(facts.runId());
    RunState after = (before == null ? RunState.EMPTY : before).with(facts, time, clamped);
    runs.put(facts.runId(), after);
    reindex(facts.runId(), before, after);
    if (after.terminalAt() != null && (before == null || !before.sameOutcome(after))) {
      forward(facts.runId(), before, after, time);
    }
  }

  private void forward(String runId, RunState before, RunState after, long at) {
    RunOutcome removed =
        before == null || before.terminalAt() == null ? null : before.outcome(runId);
    RunOutcome added = after.outcome(runId);
    // Change records carry their event time in the value (RunChange.Time); their own timestamp is
    // when they were written, like every record the service writes.
    long now = context.currentSystemTimeMs();
    if (after.pipeline() != null) {
      boolean counted = removed != null && after.pipeline().equals(removed.pipeline());
      context.forward(
          new Record<>(after.pipeline(), new RunChange(counted ? removed : null, added, at), now));
    }
    context.forward(new Record<>(FLEET, new RunChange(removed, added, at), now));
  }

  private long expiresAt(RunState state) {
    return state.lastSeen() + (state.terminalAt() != null ? checkedRetentionMs : openRetentionMs);
  }

  private void reindex(String runId, RunState before, RunState after) {
    long bucket = Math.floorDiv(expiresAt(after), bucketMs);
    if (before != null) {
      long old = Math.floorDiv(expiresAt(before), bucketMs);
      if (old == bucket) {
        return;
      }
      expiry.delete(StoreKeys.expiryKey(old, runId));
    }
    expiry.put(StoreKeys.expiryKey(bucket, runId), "");
  }

  /**
   * Forgets the runs whose expiry time stream time has passed, reading only their index entries.
   */
  private void expire(long streamTime) {
    List<String> due = new ArrayList<>();
    try (KeyValueIterator<String, String> it =
        expiry.range(null, StoreKeys.expiryKey(Math.floorDiv(streamTime, bucketMs), ""))) {
      while (it.hasNext()) {
        KeyValue<String, String> entry = it.next();
        due.add(entry.key);
      }
    }
    for (String key : due) {
      String runId = StoreKeys.runIdOfExpiryKey(key);
      RunState state = runs.get(runId);
      expiry.delete(key);
      if (state != null && expiresAt(state) <= streamTime) {
        runs.delete(runId);
      } else if (state != null) {
        expiry.put(StoreKeys.expiryKey(Math.floorDiv(expiresAt(state), bucketMs), runId), "");
      }
    }
  }
}
