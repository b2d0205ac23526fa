package org.kfm.telemetry.health;

/**
 * A checked run as the windows count it.
 *
 * @param runId run.run_id
 * @param pipeline its pipeline, or null
 * @param terminalAt when its terminal event counts (epoch ms): the event's ts, clamped (see {@link
 *     ClampedEventTime})
 * @param trace trace-covered
 * @param energy energy-covered
 * @param clamped whether the terminal event's ts was clamped
 */
public record RunOutcome(
    String runId,
    String pipeline,
    long terminalAt,
    boolean trace,
    boolean energy,
    boolean clamped) {}
