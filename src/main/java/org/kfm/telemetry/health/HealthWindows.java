package org.kfm.telemetry.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.HealthConfig;

/**
 * Keeps the checked runs of each scope (input keyed by scope) and evaluates rolling windows: the
 * window ending at {@code E} (aligned to the evaluation interval) is evaluated once, when stream
 * time or wall-clock time reaches {@code E + grace}, so that windows close even when traffic stops (the
 * wall clock only once the input has been idle for two ticks, so that a backlog is judged by stream time).
 * Each evaluation is forwarded as a {@link HealthCheck} keyed by {@link #key}.
 */
public final class HealthWindows implements Processor<String, RunOutcome, String, HealthCheck> {

  private static final String SEP = "\u0000";
  private static final Duration WALL_CLOCK_TICK = Duration.ofMinutes(1);

  private final String runsStoreName;
  private final String scopesStoreName;
  private final HealthConfig config;
  private final HealthEvaluator evaluator;
  private final HealthMetrics metrics;
  /** The scopes this task reported gauges for, forgotten when the task leaves this instance. */
  private final Set<String> evaluatedScopes = new HashSet<>();
  /** Wall-clock time of the last input record. */
  private long lastRecordAt = Long.MIN_VALUE / 2;
  private ProcessorContext<String, HealthCheck> context;
  private KeyValueStore<String, RunOutcome> runs;
  private KeyValueStore<String, ScopeState> scopes;

  public HealthWindows(String runsStoreName, String scopesStoreName, HealthConfig config, HealthMetrics metrics) {
    this.metrics = metrics;
    this.runsStoreName = runsStoreName;
    this.scopesStoreName = scopesStoreName;
    this.config = config;
    this.evaluator = new HealthEvaluator(config);
  }

  /** The key of a health check on {@code kfm.telemetry.health}: scope, "/", window end (ISO-8601). */
  public static String key(HealthCheck check) {
    return check.getScope() + "/" + check.getWindowEnd();
  }

  @Override
  public void init(ProcessorContext<String, HealthCheck> context) {
    this.context = context;
    this.runs = context.getStateStore(runsStoreName);
    this.scopes = context.getStateStore(scopesStoreName);
    context.schedule(config.evaluationInterval(), PunctuationType.STREAM_TIME, this::evaluateUpTo);
    Duration tick = config.evaluationInterval().compareTo(WALL_CLOCK_TICK) < 0 ? config.evaluationInterval()
        : WALL_CLOCK_TICK;
    Duration idle = tick.multipliedBy(2);
    context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, now -> {
      // The wall clock closes windows only once the input has been quiet for a while: while a backlog is being
      // read, stream time closes them, and the clock would see scopes as silent whose runs are still queued.
      if (now - lastRecordAt >= idle.toMillis()) {
        evaluateUpTo(now);
      }
    });
  }

  @Override
  public void process(Record<String, RunOutcome> record) {
    lastRecordAt = context.currentSystemTimeMs();
    String scope = record.key();
    RunOutcome run = record.value();
    runs.put(scope + SEP + run.runId(), run);
    ScopeState state = scopes.get(scope);
    scopes.put(scope, (state == null ? ScopeState.EMPTY : state).withRunAt(run.terminalAt()));
  }

  @Override
  public void close() {
    metrics.forget(evaluatedScopes);
  }

  /** Evaluates every window of every scope that is due at {@code now} and not evaluated yet. */
  private void evaluateUpTo(long now) {
    long interval = config.evaluationInterval().toMillis();
    long due = Math.floorDiv(now - config.grace().toMillis(), interval) * interval;
    long maxCatchUp = Math.max(1, config.window().toMillis() / interval) * interval;
    List<KeyValue<String, ScopeState>> all = new ArrayList<>();
    try (KeyValueIterator<String, ScopeState> it = scopes.all()) {
      it.forEachRemaining(all::add);
    }
    for (KeyValue<String, ScopeState> entry : all) {
      ScopeState state = entry.value;
      if (state.lastEvaluatedEnd() != null && state.lastEvaluatedEnd() >= due) {
        continue;
      }
      long from = state.lastEvaluatedEnd() == null ? due
          : Math.max(state.lastEvaluatedEnd() + interval, due - maxCatchUp + interval);
      List<RunOutcome> scopeRuns = runsOf(entry.key);
      for (long end = from; end <= due; end += interval) {
        HealthCheck check = evaluator.evaluate(entry.key, end, scopeRuns, state.lastRunAt());
        context.forward(new Record<>(key(check), check, end));
        metrics.checked(check);
        evaluatedScopes.add(entry.key);
      }
      forgetOld(entry.key, state.evaluatedUpTo(due), scopeRuns, due);
    }
  }

  private List<RunOutcome> runsOf(String scope) {
    List<RunOutcome> list = new ArrayList<>();
    try (KeyValueIterator<String, RunOutcome> it = runs.prefixScan(scope + SEP, new StringSerializer())) {
      it.forEachRemaining(kv -> list.add(kv.value));
    }
    return list;
  }

  /** Runs before the last window can never count again; a long-silent scope with no runs is forgotten. */
  private void forgetOld(String scope, ScopeState state, List<RunOutcome> scopeRuns, long due) {
    long windowStart = due - config.window().toMillis();
    int kept = 0;
    for (RunOutcome run : scopeRuns) {
      if (run.terminalAt() < windowStart) {
        runs.delete(scope + SEP + run.runId());
      } else {
        kept++;
      }
    }
    long forgetAfter = config.window().plus(config.grace()).plus(config.silenceGap()).toMillis();
    if (kept == 0 && state.lastRunAt() != null && due - state.lastRunAt() > forgetAfter) {
      scopes.delete(scope);
    } else {
      scopes.put(scope, state);
    }
  }
}
