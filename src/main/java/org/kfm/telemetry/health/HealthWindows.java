package org.kfm.telemetry.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
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
 * Keeps each scope's checked runs as counts per evaluation interval ({@link Pane}s; input keyed by
 * scope) and evaluates rolling windows over them.
 *
 * <p>The window ending at {@code E} (aligned to the evaluation interval) is first evaluated when
 * stream time reaches {@code E + grace}, or the wall clock does once the input has been idle for
 * two minutes (so windows close when traffic stops, but a backlog is judged by stream time); never
 * while {@code E} is later than the wall clock plus one interval. A run change that arrives later
 * and alters a window already emitted marks it; at the next tick (10 s of wall-clock time, or the
 * next stream-time evaluation) every such window still open to revision ({@code E + grace +
 * allowed-lateness} not yet passed by stream time) whose content changed is emitted again under the
 * same key with the next {@code revision}. A change to a pane no open window holds is too late:
 * counted, not applied. Every health check is forwarded keyed by {@link #key} and stamped with the
 * wall-clock time it was made.
 */
public final class HealthWindows implements Processor<String, RunChange, String, HealthCheck> {

  /** How often pending revisions go out (or every evaluation interval, if shorter). */
  static final Duration REVISION_TICK = Duration.ofSeconds(10);

  /**
   * The wall clock closes windows once the input has been idle for two of these (or two intervals,
   * if shorter).
   */
  static final Duration IDLE_TICK = Duration.ofMinutes(1);

  private final String panesStoreName;
  private final String scopesStoreName;
  private final HealthConfig config;
  private final HealthEvaluator evaluator;
  private final HealthMetrics metrics;
  private final long interval;
  private final long spanMs;
  private final long revisableMs;

  /** The scopes this task reported gauges for, forgotten when the task leaves this instance. */
  private final Set<String> evaluatedScopes = new HashSet<>();

  /** False only when no scope can be dirty or new: a tick then skips reading the scopes. */
  private boolean pending = true;

  /**
   * The end of the latest window this task evaluated, for any scope: a new scope is evaluated up to
   * it.
   */
  private long evaluatedUpTo = Long.MIN_VALUE;

  /**
   * Wall-clock time of the last input record, or of {@link #init} before the first: a task that has
   * just been assigned (at start-up or after a rebalance) has not seen its input idle yet.
   */
  private long lastRecordAt;

  private ProcessorContext<String, HealthCheck> context;
  private KeyValueStore<String, Pane> panes;
  private KeyValueStore<String, ScopeState> scopes;

  public HealthWindows(
      String panesStoreName, String scopesStoreName, HealthConfig config, HealthMetrics metrics) {
    this.metrics = metrics;
    this.panesStoreName = panesStoreName;
    this.scopesStoreName = scopesStoreName;
    this.config = config;
    this.evaluator = new HealthEvaluator(config);
    this.interval = config.evaluationInterval().toMillis();
    this.spanMs = config.span().toMillis();
    this.revisableMs = config.grace().plus(config.allowedLateness()).toMillis();
  }

  /**
   * The key of a health check on {@code kfm.telemetry.health}: scope, "/", window end (ISO-8601).
   */
  public static String key(HealthCheck check) {
    return check.getScope() + "/" + check.getWindowEnd();
  }

  @Override
  public void init(ProcessorContext<String, HealthCheck> context) {
    this.context = context;
    this.panes = context.getStateStore(panesStoreName);
    this.scopes = context.getStateStore(scopesStoreName);
    // Idle is counted from now: a task that moved to this instance (or restarted) with its
    // backlog not yet read must not close windows by the wall clock at its first tick, before
    // stream time has caught up (it would evaluate the newest windows on partial panes, and skip
    // the older ones for good).
    this.lastRecordAt = context.currentSystemTimeMs();
    try (KeyValueIterator<String, ScopeState> it = scopes.all()) {
      it.forEachRemaining(
          kv -> {
            if (kv.value.lastEvaluatedEnd() != null) {
              evaluatedUpTo = Math.max(evaluatedUpTo, kv.value.lastEvaluatedEnd());
            }
          });
    }
    context.schedule(config.evaluationInterval(), PunctuationType.STREAM_TIME, this::evaluate);
    Duration interval = config.evaluationInterval();
    Duration tick = interval.compareTo(REVISION_TICK) < 0 ? interval : REVISION_TICK;
    long idle =
        (interval.compareTo(IDLE_TICK) < 0 ? interval : IDLE_TICK).multipliedBy(2).toMillis();
    context.schedule(
        tick,
        PunctuationType.WALL_CLOCK_TIME,
        now -> {
          // The wall clock closes windows only once the input has been quiet for a while: while a
          // backlog is being read, stream time closes them, and the clock would see scopes as
          // silent
          // whose runs are still queued. Revisions go out at every tick.
          evaluate(now - lastRecordAt >= idle ? now : Long.MIN_VALUE);
        });
  }

  @Override
  public void process(Record<String, RunChange> record) {
    lastRecordAt = context.currentSystemTimeMs();
    String scope = record.key();
    RunChange change = record.value();
    ScopeState before = scopes.get(scope);
    ScopeState state = before == null ? ScopeState.EMPTY : before;
    long oldest = oldestOpenPane();
    Map<Long, Pane> changed = new TreeMap<>();
    if (change.removed() != null) {
      apply(scope, change.removed(), -1, oldest, changed);
    }
    if (!apply(scope, change.added(), 1, oldest, changed)) {
      metrics.lateChange(scope);
      return;
    }
    state = state.withRunAt(change.added().terminalAt());
    if (state.lastEvaluatedEnd() == null) {
      pending = true; // a new scope: evaluated up to where the others are at the next tick
    }
    for (Map.Entry<Long, Pane> entry : changed.entrySet()) {
      Pane old = panes.get(StoreKeys.paneKey(scope, entry.getKey()));
      if (old != null && old.sameCounts(entry.getValue())) {
        continue;
      }
      panes.put(StoreKeys.paneKey(scope, entry.getKey()), entry.getValue());
      if (state.lastEvaluatedEnd() != null
          && entry.getKey() + interval <= state.lastEvaluatedEnd()) {
        state = state.dirty(entry.getKey());
        pending = true;
      }
    }
    if (!state.equals(before)) {
      scopes.put(scope, state);
    }
  }

  /**
   * Adds {@code run} to (or takes it out of) its pane in {@code changed}; false when no open window
   * holds it.
   */
  private boolean apply(
      String scope, RunOutcome run, int sign, long oldest, Map<Long, Pane> changed) {
    long start = Math.floorDiv(run.terminalAt(), interval) * interval;
    if (start < oldest) {
      return false;
    }
    Pane pane = changed.get(start);
    if (pane == null) {
      Pane stored = panes.get(StoreKeys.paneKey(scope, start));
      pane = stored == null ? Pane.EMPTY : stored;
    }
    changed.put(start, pane.plus(run, sign));
    return true;
  }

  /** The start of the oldest pane an open window (or a window not yet evaluated) may still read. */
  private long oldestOpenPane() {
    long streamTime = context.currentStreamTimeMs();
    if (streamTime < 0) {
      return Long.MIN_VALUE;
    }
    return Math.floorDiv(streamTime - revisableMs - spanMs, interval) * interval - interval;
  }

  @Override
  public void close() {
    metrics.forget(evaluatedScopes);
  }

  /**
   * Emits the revisions of every scope's changed windows and the first evaluation of every window
   * due at {@code now} (when {@code now} is {@code Long.MIN_VALUE}, of every window up to the
   * latest this task evaluated: a scope that appeared since catches up with the others).
   */
  private void evaluate(long now) {
    long wallClock = context.currentSystemTimeMs();
    long due = evaluatedUpTo;
    if (now != Long.MIN_VALUE) {
      due = Math.floorDiv(now - config.grace().toMillis(), interval) * interval;
      due =
          Math.max(
              evaluatedUpTo,
              Math.min(due, Math.floorDiv(wallClock + interval, interval) * interval));
    } else if (!pending) {
      return;
    }
    pending = false;
    evaluatedUpTo = due;
    long maxCatchUp = Math.max(1, config.window().toMillis() / interval) * interval;
    List<KeyValue<String, ScopeState>> all = new ArrayList<>();
    try (KeyValueIterator<String, ScopeState> it = scopes.all()) {
      it.forEachRemaining(all::add);
    }
    long oldest = oldestOpenPane();
    for (KeyValue<String, ScopeState> entry : all) {
      String scope = entry.key;
      ScopeState state = entry.value;
      boolean newWindows =
          due != Long.MIN_VALUE
              && (state.lastEvaluatedEnd() == null || state.lastEvaluatedEnd() < due);
      if (!newWindows && !state.isDirty()) {
        continue;
      }
      long from =
          !newWindows
              ? Long.MAX_VALUE
              : state.lastEvaluatedEnd() == null
                  ? due
                  : Math.max(state.lastEvaluatedEnd() + interval, due - maxCatchUp + interval);
      long readFrom =
          Math.min(from, state.isDirty() ? state.dirtyFrom() + interval : Long.MAX_VALUE);
      long readTo = newWindows ? due : state.lastEvaluatedEnd();
      NavigableMap<Long, Pane> scopePanes =
          StoreKeys.panes(panes, scope, readFrom - spanMs - interval, readTo);
      if (state.isDirty()) {
        revise(scope, state, scopePanes);
      }
      if (newWindows) {
        for (long end = from; end <= due; end += interval) {
          emit(scope, end, scopePanes, state, 0, true);
        }
      }
      ScopeState after =
          newWindows ? state.evaluatedUpTo(due) : state.evaluatedUpTo(state.lastEvaluatedEnd());
      forgetOld(scope, after, scopePanes, oldest);
    }
  }

  /**
   * Emits again every open window holding a dirty pane whose content changed since it was emitted.
   */
  private void revise(String scope, ScopeState state, NavigableMap<Long, Pane> scopePanes) {
    long streamTime = context.currentStreamTimeMs();
    long last = Math.min(state.dirtyTo() + spanMs + interval, state.lastEvaluatedEnd());
    for (long end = state.dirtyFrom() + interval; end <= last; end += interval) {
      if (end + revisableMs <= streamTime) {
        continue;
      }
      Pane closing = scopePanes.get(end - interval);
      if (closing == null || closing.emitted() == null) {
        continue;
      }
      emit(
          scope,
          end,
          scopePanes,
          state,
          closing.emitted().revision() + 1,
          end == state.lastEvaluatedEnd());
    }
  }

  private void emit(
      String scope,
      long end,
      NavigableMap<Long, Pane> scopePanes,
      ScopeState state,
      int revision,
      boolean newest) {
    HealthCheck check = evaluator.evaluate(scope, end, scopePanes, state.firstRunAt(), revision);
    int digest = HealthEvaluator.digest(check);
    Pane closing = scopePanes.getOrDefault(end - interval, Pane.EMPTY);
    if (revision > 0 && closing.emitted() != null && closing.emitted().digest() == digest) {
      return;
    }
    Pane marked = closing.withEmitted(new Pane.Emitted(revision, digest));
    scopePanes.put(end - interval, marked);
    panes.put(StoreKeys.paneKey(scope, end - interval), marked);
    context.forward(new Record<>(key(check), check, context.currentSystemTimeMs()));
    metrics.checked(check, newest);
    evaluatedScopes.add(scope);
  }

  /**
   * Panes no open window reads are dropped; a scope left with no run in them and silent for long is
   * forgotten.
   */
  private void forgetOld(
      String scope, ScopeState state, NavigableMap<Long, Pane> scopePanes, long oldest) {
    if (oldest != Long.MIN_VALUE) {
      deletePanes(scope, oldest - 1);
    }
    boolean kept =
        scopePanes.tailMap(oldest, true).values().stream().anyMatch(p -> p.checked() > 0);
    long forgetAfter = config.window().plus(config.grace()).plus(config.silenceGap()).toMillis();
    if (!kept
        && state.lastRunAt() != null
        && state.lastRunAt() < oldest
        && state.lastEvaluatedEnd() - state.lastRunAt() > forgetAfter) {
      scopes.delete(scope);
      deletePanes(scope, Long.MAX_VALUE);
    } else {
      scopes.put(scope, state);
    }
  }

  /** Deletes {@code scope}'s panes starting at or before {@code lastStart}. */
  private void deletePanes(String scope, long lastStart) {
    List<String> doomed = new ArrayList<>();
    try (KeyValueIterator<String, Pane> it =
        panes.range(
            StoreKeys.paneKey(scope, Long.MIN_VALUE), StoreKeys.paneKey(scope, lastStart))) {
      it.forEachRemaining(
          kv -> {
            if (StoreKeys.paneScope(kv.key).equals(scope)) {
              doomed.add(kv.key);
            }
          });
    }
    doomed.forEach(panes::delete);
  }
}
