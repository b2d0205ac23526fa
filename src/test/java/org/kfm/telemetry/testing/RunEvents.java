package org.kfm.telemetry.testing;

import java.time.Instant;

/** Valid telemetry payloads of a pipeline run, as JSON, for tests that feed the health checks. */
public final class RunEvents {

  private RunEvents() {}

  /**
   * A {@code pipeline.run.completed} or {@code pipeline.step} event of run {@code runId} of {@code
   * pipeline} at {@code ts}, with a trace id if {@code trace} and an energy estimate if {@code
   * energy}.
   */
  public static String event(
      String kind, String pipeline, String runId, Instant ts, boolean trace, boolean energy) {
    StringBuilder json =
        new StringBuilder("{\"schema_version\":\"2.0.0\",\"kind\":\"")
            .append(kind)
            .append("\",\"ts\":\"")
            .append(ts)
            .append("\",\"level\":\"info\",\"run\":{\"run_id\":\"")
            .append(runId)
            .append("\",\"pipeline\":\"")
            .append(pipeline)
            .append("\"")
            .append(kind.equals("pipeline.step") ? ",\"step\":\"build\"}" : "}");
    if (trace) {
      json.append(",\"correlation\":{\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\"}");
    }
    if (energy) {
      json.append(",\"metrics\":{\"energy_kwh_est\":0.012}");
    }
    return json.append(",\"privacy\":{\"classification\":\"internal\",\"contains_pii\":false}}")
        .toString();
  }
}
