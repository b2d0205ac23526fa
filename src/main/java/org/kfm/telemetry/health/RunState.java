package org.kfm.telemetry.health;

/**
 * What is known of one run so far.
 *
 * @param pipeline the run's pipeline, once an event named it
 * @param trace whether some event carried a valid trace id
 * @param energy whether some event carried an energy report
 * @param terminalAt when the terminal event counts (epoch ms, clamped), or null while the run is
 *     not checked
 * @param clamped whether the terminal event's ts was clamped
 * @param lastSeen the latest event time of the run (epoch ms, clamped), for expiry
 */
public record RunState(
    String pipeline,
    boolean trace,
    boolean energy,
    Long terminalAt,
    boolean clamped,
    long lastSeen) {

  static final RunState EMPTY = new RunState(null, false, false, null, false, Long.MIN_VALUE);

  /**
   * This state with one more event's facts folded in; the first terminal event decides when the run
   * counts.
   */
  RunState with(RunFacts facts, long eventTime, boolean eventClamped) {
    boolean becomesChecked = terminalAt == null && facts.terminal();
    return new RunState(
        pipeline != null ? pipeline : facts.pipeline(),
        trace || facts.trace(),
        energy || facts.energy(),
        becomesChecked ? Long.valueOf(eventTime) : terminalAt,
        becomesChecked ? eventClamped : clamped,
        Math.max(lastSeen, eventTime));
  }

  /** The outcome of a checked run, for the per-scope windows. */
  RunOutcome outcome(String runId) {
    return new RunOutcome(runId, pipeline, terminalAt, trace, energy, clamped);
  }

  /** Whether the windows would count {@code other} differently from this. */
  boolean sameOutcome(RunState other) {
    return java.util.Objects.equals(terminalAt, other.terminalAt)
        && java.util.Objects.equals(pipeline, other.pipeline)
        && trace == other.trace
        && energy == other.energy
        && clamped == other.clamped;
  }
}
