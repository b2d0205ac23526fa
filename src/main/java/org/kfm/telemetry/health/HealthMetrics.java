package org.kfm.telemetry.health;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.kfm.telemetry.avro.HealthCheck;

/**
 * The health and alert meters: the latest coverage of each scope this instance evaluated ({@code
 * kfm_health_coverage_pct{scope, check=trace|energy}}, NaN when no run was checked; {@code
 * kfm_health_runs_checked{scope}}), health checks emitted ({@code kfm_health_checks_total},
 * revisions included), alerts by rule and status ({@code kfm_alerts_total{rule,
 * status=firing|resolved}}), and events the health checks counted at a clamped time ({@code
 * kfm_health_clamped_events_total{pipeline}}) or found too late ({@code
 * kfm_health_late_events_total{pipeline}}, {@code kfm_health_late_changes_total{scope}}). Meters
 * are registered once per scope or rule.
 */
public final class HealthMetrics {

  private final MeterRegistry registry;
  private final Counter checks;
  private final Map<String, AtomicReference<HealthCheck>> latestByScope = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> gaugesByScope = new ConcurrentHashMap<>();
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();
  private final Map<String, Counter> clamped = new ConcurrentHashMap<>();
  private final Map<String, Counter> late = new ConcurrentHashMap<>();
  private final Map<String, Counter> lateChanges = new ConcurrentHashMap<>();

  public HealthMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.checks =
        Counter.builder("kfm.health.checks")
            .description("Health checks emitted (one per scope and window, and one per revision)")
            .register(registry);
  }

  /** The {@code pipeline} tag of an event's pipeline (events may name none). */
  public static String pipelineTag(String pipeline) {
    return pipeline == null ? "(none)" : pipeline;
  }

  /**
   * Counts {@code check}, and records it as the latest of its scope when it is of the scope's
   * newest window.
   */
  public void checked(HealthCheck check, boolean newest) {
    checks.increment();
    if (newest) {
      latestByScope.computeIfAbsent(check.getScope(), this::register).set(check);
    }
  }

  /**
   * Counts one valid event of {@code pipeline} whose ts was clamped to its record time + max clock
   * skew.
   */
  public void clamped(String pipeline) {
    clamped
        .computeIfAbsent(
            pipelineTag(pipeline),
            p ->
                Counter.builder("kfm.health.clamped.events")
                    .description(
                        "Valid events whose ts was further ahead of their record time than health.max-clock-skew, "
                            + "counted at that time plus the skew")
                    .tag("pipeline", p)
                    .register(registry))
        .increment();
  }

  /**
   * Counts one valid event of {@code pipeline} too late (beyond the allowed lateness) to update its
   * run.
   */
  public void late(String pipeline) {
    late.computeIfAbsent(
            pipelineTag(pipeline),
            p ->
                Counter.builder("kfm.health.late.events")
                    .description(
                        "Valid events more than health.allowed-lateness behind stream time, not counted in the health "
                            + "checks")
                    .tag("pipeline", p)
                    .register(registry))
        .increment();
  }

  /**
   * Counts one run change that reached {@code scope}'s windows after every window holding it was
   * final.
   */
  public void lateChange(String scope) {
    lateChanges
        .computeIfAbsent(
            scope,
            s ->
                Counter.builder("kfm.health.late.changes")
                    .description(
                        "Run changes that reached a scope's windows after every window holding the run was final "
                            + "(the scope's stream time was ahead of its run's partition)")
                    .tag("scope", s)
                    .register(registry))
        .increment();
  }

  /** Counts one alert for {@code rule}, firing or resolved. */
  public void alerted(String rule, boolean firing) {
    String status = firing ? "firing" : "resolved";
    alerts
        .computeIfAbsent(
            rule + "|" + status,
            k ->
                Counter.builder("kfm.alerts")
                    .description("Signed wpe.alert events emitted, by rule and status")
                    .tag("rule", rule)
                    .tag("status", status)
                    .register(registry))
        .increment();
  }

  /**
   * Removes the gauges of {@code scopes}: their task moved to another instance (or stopped), which
   * reports them from now on; a stale value left here would contradict it.
   */
  public void forget(Iterable<String> scopes) {
    for (String scope : scopes) {
      latestByScope.remove(scope);
      List<Meter> meters = gaugesByScope.remove(scope);
      if (meters != null) {
        meters.forEach(registry::remove);
      }
    }
  }

  private AtomicReference<HealthCheck> register(String scope) {
    AtomicReference<HealthCheck> latest = new AtomicReference<>();
    List<Meter> meters = new ArrayList<>();
    meters.add(
        Gauge.builder("kfm.health.coverage.pct", latest, r -> pct(r.get().getTraceCoveragePct()))
            .description(
                "Coverage of the scope's latest window, percent: runs with trace context (check=trace) or an "
                    + "energy report (check=energy)")
            .tag("scope", scope)
            .tag("check", "trace")
            .register(registry));
    meters.add(
        Gauge.builder(
                "kfm.health.coverage.pct", latest, r -> pct(r.get().getEnergyReportCoveragePct()))
            .description(
                "Coverage of the scope's latest window, percent: runs with trace context (check=trace) or an "
                    + "energy report (check=energy)")
            .tag("scope", scope)
            .tag("check", "energy")
            .register(registry));
    meters.add(
        Gauge.builder("kfm.health.runs.checked", latest, r -> r.get().getRunsChecked())
            .description("Runs checked in the scope's latest window")
            .tag("scope", scope)
            .register(registry));
    gaugesByScope.put(scope, meters);
    return latest;
  }

  private static double pct(Double value) {
    return value == null ? Double.NaN : value;
  }
}
