package org.kfm.telemetry.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kfm.telemetry.avro.TelemetryEvent;

/**
 * Folds valid events into per-run state (keyed by run.run_id) and, whenever a checked run's outcome
 * changes, forwards it keyed by its pipeline and by the fleet scope {@code "*"}. Events older than
 * stream time minus the grace period are too late and ignored; runs expire after window + grace.
 */
public final class RunTracker implements Processor<String, TelemetryEvent, String, RunOutcome> {

  /** The fleet-wide scope. */
  public static final String FLEET = "*";

  private final String storeName;
  private final long graceMs;
  private final long retentionMs;
  private final Duration expiryInterval;
  private ProcessorContext<String, RunOutcome> context;
  private KeyValueStore<String, RunState> runs;

  public RunTracker(String storeName, Duration window, Duration grace, Duration expiryInterval) {
    this.storeName = storeName;
    this.graceMs = grace.toMillis();
    this.retentionMs = window.plus(grace).toMillis();
    this.expiryInterval = expiryInterval;
  }

  @Override
  public void init(ProcessorContext<String, RunOutcome> context) {
    this.context = context;
    this.runs = context.getStateStore(storeName);
    context.schedule(expiryInterval, PunctuationType.STREAM_TIME, this::expire);
  }

  @Override
  public void process(Record<String, TelemetryEvent> record) {
    RunFacts facts = RunFacts.of(record.value());
    long time = record.value().getEventTime().toEpochMilli();
    if (facts.runId() == null || time < context.currentStreamTimeMs() - graceMs) {
      return;
    }
    RunState before = runs.get(facts.runId());
    RunState after = (before == null ? RunState.EMPTY : before).with(facts, time);
    runs.put(facts.runId(), after);
    if (after.terminalAt() != null && (before == null || !sameOutcome(before, after))) {
      RunOutcome outcome = after.outcome(facts.runId());
      if (after.pipeline() != null) {
        context.forward(new Record<>(after.pipeline(), outcome, time));
      }
      context.forward(new Record<>(FLEET, outcome, time));
    }
  }

  private static boolean sameOutcome(RunState a, RunState b) {
    return Objects.equals(a.terminalAt(), b.terminalAt()) && Objects.equals(a.pipeline(), b.pipeline())
        && a.trace() == b.trace() && a.energy() == b.energy();
  }

  private void expire(long streamTime) {
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, RunState> all = runs.all()) {
      while (all.hasNext()) {
        KeyValue<String, RunState> entry = all.next();
        if (entry.value.lastSeen() < streamTime - retentionMs) {
          expired.add(entry.key);
        }
      }
    }
    expired.forEach(runs::delete);
  }
}
