package org.kfm.telemetry.health;

/**
 * A checked run as the windows count it; a later outcome of the same run replaces the earlier one.
 *
 * @param runId run.run_id
 * @param pipeline its pipeline, or null
 * @param terminalAt its terminal event's ts (epoch ms)
 * @param trace trace-covered
 * @param energy energy-covered
 */
public record RunOutcome(String runId, String pipeline, long terminalAt, boolean trace, boolean energy) {
}
