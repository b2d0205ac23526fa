package org.kfm.telemetry.health;

import org.kfm.telemetry.avro.Artifact;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.validation.rules.TraceContextRule;

/**
 * What one valid event says about its run: its pipeline, whether it carries a valid trace id (32
 * lowercase hex, not all zero), an energy report (an {@code energy_report} artifact, {@code
 * policy.energy_report_ref} or {@code metrics.energy_kwh_est}), and whether it is terminal.
 */
public record RunFacts(
    String runId, String pipeline, boolean trace, boolean energy, boolean terminal) {

  static final String ENERGY_METRIC = "energy_kwh_est";
  static final String ENERGY_ARTIFACT = "energy_report";

  /** The facts of an event. */
  public static RunFacts of(TelemetryEvent event) {
    String runId = event.getRun() == null ? null : str(event.getRun().getRunId());
    String pipeline = event.getRun() == null ? null : str(event.getRun().getPipeline());
    String traceId =
        event.getCorrelation() == null ? null : str(event.getCorrelation().getTraceId());
    return of(runId, pipeline, traceId, str(event.getKind()), energy(event));
  }

  /** The facts of an event with these members ({@code traceId} as sent, checked here). */
  static RunFacts of(String runId, String pipeline, String traceId, String kind, boolean energy) {
    boolean trace = traceId != null && TraceContextRule.isValidId(traceId, 32);
    boolean terminal = "pipeline.run.completed".equals(kind) || "pipeline.run.failed".equals(kind);
    return new RunFacts(runId, pipeline, trace, energy, terminal);
  }

  private static boolean energy(TelemetryEvent event) {
    if (event.getPolicy() != null && event.getPolicy().getEnergyReportRef() != null) {
      return true;
    }
    if (event.getMetrics() != null) {
      for (CharSequence key : event.getMetrics().keySet()) {
        if (ENERGY_METRIC.contentEquals(key)) {
          return true;
        }
      }
    }
    if (event.getArtifacts() != null) {
      for (Artifact artifact : event.getArtifacts()) {
        if (artifact.getType() != null && ENERGY_ARTIFACT.contentEquals(artifact.getType())) {
          return true;
        }
      }
    }
    return false;
  }

  private static String str(Object o) {
    return o == null ? null : o.toString();
  }
}
