package org.kfm.telemetry.health;

/**
 * Per-scope bookkeeping of the windows.
 *
 * @param firstRunAt terminal time of the earliest checked run (epoch ms), or null
 * @param lastRunAt terminal time of the latest checked run (epoch ms), or null
 * @param lastEvaluatedEnd end of the latest evaluated window (epoch ms), or null before the first
 * @param dirtyFrom start of the earliest pane changed after windows holding it were emitted, or
 *     null
 * @param dirtyTo start of the latest such pane, or null
 */
public record ScopeState(
    Long firstRunAt, Long lastRunAt, Long lastEvaluatedEnd, Long dirtyFrom, Long dirtyTo) {

  static final ScopeState EMPTY = new ScopeState(null, null, null, null, null);

  ScopeState withRunAt(long at) {
    return new ScopeState(
        firstRunAt == null ? at : Math.min(firstRunAt, at),
        lastRunAt == null ? at : Math.max(lastRunAt, at),
        lastEvaluatedEnd,
        dirtyFrom,
        dirtyTo);
  }

  ScopeState dirty(long paneStart) {
    return new ScopeState(
        firstRunAt,
        lastRunAt,
        lastEvaluatedEnd,
        dirtyFrom == null ? paneStart : Math.min(dirtyFrom, paneStart),
        dirtyTo == null ? paneStart : Math.max(dirtyTo, paneStart));
  }

  boolean isDirty() {
    return dirtyFrom != null;
  }

  ScopeState evaluatedUpTo(long end) {
    return new ScopeState(
        firstRunAt,
        lastRunAt,
        lastEvaluatedEnd == null ? end : Math.max(end, lastEvaluatedEnd),
        null,
        null);
  }
}
