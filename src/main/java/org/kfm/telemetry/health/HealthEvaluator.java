package org.kfm.telemetry.health;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.config.Slo;

/**
 * Evaluates one window of one scope: counts the runs checked in {@code [end - window, end)}, their
 * trace and energy coverage (percent, one decimal, half up), and the verdict of each SLO rule.
 */
public final class HealthEvaluator {

  private final HealthConfig config;
  private final SloPolicy slos;

  public HealthEvaluator(HealthConfig config) {
    this.config = config;
    this.slos = new SloPolicy(config.slo(), config.overrides());
  }

  /** The health check of {@code scope} for the window ending at {@code end}, over the scope's known runs. */
  public HealthCheck evaluate(String scope, long end, Iterable<RunOutcome> runs, Long lastRunAt) {
    long start = end - config.window().toMillis();
    int checked = 0;
    int traced = 0;
    int energy = 0;
    for (RunOutcome run : runs) {
      if (run.terminalAt() >= start && run.terminalAt() < end) {
        checked++;
        traced += run.trace() ? 1 : 0;
        energy += run.energy() ? 1 : 0;
      }
    }
    Slo slo = slos.sloFor(scope);
    Double tracePct = pct(traced, checked);
    Double energyPct = pct(energy, checked);
    boolean enough = checked > 0 && checked >= config.minRuns();
    List<SloVerdict> verdicts = List.of(
        coverage(RuleIds.TRACE, enough, tracePct, slo.tracePct(), "Trace context coverage", checked),
        coverage(RuleIds.ENERGY, enough, energyPct, slo.energyPct(), "Energy report coverage", checked),
        silence(end, lastRunAt));
    return HealthCheck.newBuilder().setScope(scope).setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(end)).setWindowHours((int) config.window().toHours())
        .setRunsChecked(checked).setRunsWithTrace(traced).setRunsWithEnergyReport(energy)
        .setTraceCoveragePct(tracePct).setEnergyReportCoveragePct(energyPct)
        .setTraceSloPct(slo.tracePct()).setEnergySloPct(slo.energyPct()).setMinRuns(config.minRuns())
        .setLastRunChecked(lastRunAt == null ? null : Instant.ofEpochMilli(lastRunAt))
        .setVerdicts(verdicts).build();
  }

  /** {@code part / whole} in percent, one decimal, half up; null when {@code whole} is 0. */
  public static Double pct(int part, int whole) {
    if (whole == 0) {
      return null;
    }
    return BigDecimal.valueOf(part * 100L).divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP).doubleValue();
  }

  private SloVerdict coverage(String rule, boolean enough, Double pct, double slo, String what, int checked) {
    if (!enough) {
      return new SloVerdict(rule, VerdictStatus.NO_VERDICT,
          checked + " runs checked, fewer than the minimum of " + config.minRuns());
    }
    return pct >= slo ? new SloVerdict(rule, VerdictStatus.PASS, what + " meets SLO threshold")
        : new SloVerdict(rule, VerdictStatus.FAIL, what + " below SLO threshold");
  }

  private SloVerdict silence(long end, Long lastRunAt) {
    if (lastRunAt == null) {
      return new SloVerdict(RuleIds.SILENCE, VerdictStatus.NO_VERDICT, "No run checked yet");
    }
    return end - lastRunAt > config.silenceGap().toMillis()
        ? new SloVerdict(RuleIds.SILENCE, VerdictStatus.FAIL,
            "No pipeline run checked for more than " + config.silenceGap().toHours() + " h")
        : new SloVerdict(RuleIds.SILENCE, VerdictStatus.PASS, "Runs are being checked");
  }
}
