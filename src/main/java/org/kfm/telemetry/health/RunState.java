package org.kfm.telemetry.health;

/**
 * What is known of one run so far.
 *
 * @param pipeline the run's pipeline, once an event named it
 * @param trace whether some event carried a valid trace id
 * @param energy whether some event carried an energy report
 * @param terminalAt the terminal event's ts (epoch ms), or null while the run is not checked
 * @param lastSeen the latest event ts of the run (epoch ms), for expiry
 */
public record RunState(String pipeline, boolean trace, boolean energy, Long terminalAt, long lastSeen) {

  static final RunState EMPTY = new RunState(null, false, false, null, Long.MIN_VALUE);

  /** This state with one more event's facts folded in. */
  RunState with(RunFacts facts, long eventTime) {
    return new RunState(pipeline != null ? pipeline : facts.pipeline(), trace || facts.trace(),
        energy || facts.energy(), terminalAt != null || !facts.terminal() ? terminalAt : Long.valueOf(eventTime),
        Math.max(lastSeen, eventTime));
  }

  /** The outcome of a checked run, for the per-scope windows. */
  RunOutcome outcome(String runId) {
    return new RunOutcome(runId, pipeline, terminalAt, trace, energy);
  }
}
