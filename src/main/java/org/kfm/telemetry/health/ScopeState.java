package org.kfm.telemetry.health;

/**
 * Per-scope bookkeeping of the windows.
 *
 * @param lastRunAt terminal ts of the latest checked run (epoch ms), or null
 * @param lastEvaluatedEnd end of the latest evaluated window (epoch ms), or null before the first
 */
public record ScopeState(Long lastRunAt, Long lastEvaluatedEnd) {

  static final ScopeState EMPTY = new ScopeState(null, null);

  ScopeState withRunAt(long at) {
    return new ScopeState(lastRunAt == null ? at : Math.max(lastRunAt, at), lastEvaluatedEnd);
  }

  ScopeState evaluatedUpTo(long end) {
    return new ScopeState(lastRunAt, end);
  }
}
