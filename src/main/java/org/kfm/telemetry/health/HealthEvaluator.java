package org.kfm.telemetry.health;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.config.Slo;

/**
 * Evaluates one window of one scope from its {@link Pane}s: the runs checked in {@code [end -
 * window, end)}, their trace and energy coverage (percent, one decimal, half up), and the verdict
 * of each SLO rule (silence from the latest run before {@code end}).
 */
public final class HealthEvaluator {

  private final HealthConfig config;
  private final SloPolicy slos;

  public HealthEvaluator(HealthConfig config) {
    this.config = config;
    this.slos = new SloPolicy(config.slo(), config.overrides());
  }

  /**
   * The health check of {@code scope} for the window ending at {@code end}, from the scope's panes.
   *
   * @param panes the scope's panes by start time; those within {@link HealthConfig#span()} of
   *     {@code end} are read
   * @param firstRunAt terminal time of the scope's earliest checked run, or null
   * @param revision 0 for the window's first evaluation
   */
  public HealthCheck evaluate(
      String scope, long end, NavigableMap<Long, Pane> panes, Long firstRunAt, int revision) {
    long start = end - config.window().toMillis();
    long interval = config.evaluationInterval().toMillis();
    int checked = 0;
    int traced = 0;
    int energy = 0;
    int clamped = 0;
    Long lastRunAt = null;
    for (Map.Entry<Long, Pane> entry :
        panes.subMap(end - config.span().toMillis() - interval, false, end, false).entrySet()) {
      Pane pane = entry.getValue();
      if (entry.getKey() >= start) {
        checked += pane.checked();
        traced += pane.trace();
        energy += pane.energy();
        clamped += pane.clamped();
      }
      if (pane.lastRunAt() != null && (lastRunAt == null || pane.lastRunAt() > lastRunAt)) {
        lastRunAt = pane.lastRunAt();
      }
    }
    Slo slo = slos.sloFor(scope);
    Double tracePct = pct(traced, checked);
    Double energyPct = pct(energy, checked);
    boolean enough = checked > 0 && checked >= config.minRuns();
    boolean ranBefore = firstRunAt != null && firstRunAt < end;
    List<SloVerdict> verdicts =
        List.of(
            coverage(
                HealthRuleId.TRACE.id(),
                enough,
                tracePct,
                slo.tracePct(),
                "Trace context coverage",
                checked),
            coverage(
                HealthRuleId.ENERGY.id(),
                enough,
                energyPct,
                slo.energyPct(),
                "Energy report coverage",
                checked),
            silence(end, lastRunAt, ranBefore));
    return HealthCheck.newBuilder()
        .setScope(scope)
        .setWindowStart(Instant.ofEpochMilli(start))
        .setWindowEnd(Instant.ofEpochMilli(end))
        .setWindowHours((int) config.window().toHours())
        .setRevision(revision)
        .setRunsChecked(checked)
        .setRunsWithTrace(traced)
        .setRunsWithEnergyReport(energy)
        .setRunsClamped(clamped)
        .setTraceCoveragePct(tracePct)
        .setEnergyReportCoveragePct(energyPct)
        .setTraceSloPct(slo.tracePct())
        .setEnergySloPct(slo.energyPct())
        .setMinRuns(config.minRuns())
        .setLastRunChecked(lastRunAt == null ? null : Instant.ofEpochMilli(lastRunAt))
        .setVerdicts(verdicts)
        .build();
  }

  /**
   * A digest of what {@code check} counted and judged (not its revision), to tell whether a
   * revision changes it.
   */
  public static int digest(HealthCheck check) {
    List<Object> parts =
        new ArrayList<>(
            List.of(
                check.getRunsChecked(),
                check.getRunsWithTrace(),
                check.getRunsWithEnergyReport(),
                check.getRunsClamped(),
                String.valueOf(check.getLastRunChecked()),
                check.getTraceSloPct(),
                check.getEnergySloPct(),
                check.getMinRuns()));
    check.getVerdicts().forEach(v -> parts.add(v.getStatus() + v.getReason()));
    return parts.hashCode();
  }

  /** {@code part / whole} in percent, one decimal, half up; null when {@code whole} is 0. */
  public static Double pct(int part, int whole) {
    if (whole == 0) {
      return null;
    }
    return BigDecimal.valueOf(part * 100L)
        .divide(BigDecimal.valueOf(whole), 1, RoundingMode.HALF_UP)
        .doubleValue();
  }

  private SloVerdict coverage(
      String rule, boolean enough, Double pct, double slo, String what, int checked) {
    if (!enough) {
      return new SloVerdict(
          rule,
          VerdictStatus.NO_VERDICT,
          checked + " runs checked, fewer than the minimum of " + config.minRuns());
    }
    return pct >= slo
        ? new SloVerdict(rule, VerdictStatus.PASS, what + " meets SLO threshold")
        : new SloVerdict(rule, VerdictStatus.FAIL, what + " below SLO threshold");
  }

  private SloVerdict silence(long end, Long lastRunAt, boolean ranBefore) {
    String silent = "No pipeline run checked for more than " + config.silenceGap().toHours() + " h";
    if (lastRunAt == null) {
      // Runs before the panes read (older than the span, itself at least the gap): silent for
      // longer than the gap.
      return ranBefore
          ? new SloVerdict(HealthRuleId.SILENCE.id(), VerdictStatus.FAIL, silent)
          : new SloVerdict(
              HealthRuleId.SILENCE.id(), VerdictStatus.NO_VERDICT, "No run checked yet");
    }
    return end - lastRunAt > config.silenceGap().toMillis()
        ? new SloVerdict(HealthRuleId.SILENCE.id(), VerdictStatus.FAIL, silent)
        : new SloVerdict(HealthRuleId.SILENCE.id(), VerdictStatus.PASS, "Runs are being checked");
  }
}
