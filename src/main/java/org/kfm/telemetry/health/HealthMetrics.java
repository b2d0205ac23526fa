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
 * The health and alert meters: the latest coverage of each scope this instance evaluated
 * ({@code kfm_health_coverage_pct{scope, check=trace|energy}}, NaN when no run was checked;
 * {@code kfm_health_runs_checked{scope}}), health checks emitted
 * ({@code kfm_health_checks_total}) and alerts by rule and status
 * ({@code kfm_alerts_total{rule, status=firing|resolved}}). Meters are registered once per scope or rule.
 */
public final class HealthMetrics {

  private final MeterRegistry registry;
  private final Counter checks;
  private final Map<String, AtomicReference<HealthCheck>> latestByScope = new ConcurrentHashMap<>();
  private final Map<String, List<Meter>> gaugesByScope = new ConcurrentHashMap<>();
  private final Map<String, Counter> alerts = new ConcurrentHashMap<>();

  public HealthMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.checks = Counter.builder("kfm.health.checks").description("Health checks emitted (one per scope and window)")
        .register(registry);
  }

  /** Records {@code check} as the latest of its scope. */
  public void checked(HealthCheck check) {
    checks.increment();
    latestByScope.computeIfAbsent(check.getScope(), this::register).set(check);
  }

  /** Counts one alert for {@code rule}, firing or resolved. */
  public void alerted(String rule, boolean firing) {
    String status = firing ? "firing" : "resolved";
    alerts.computeIfAbsent(rule + "|" + status, k -> Counter.builder("kfm.alerts")
        .description("Signed wpe.alert events emitted, by rule and status").tag("rule", rule).tag("status", status)
        .register(registry)).increment();
  }

  /**
   * Removes the gauges of {@code scopes}: their task moved to another instance (or stopped), which reports
   * them from now on; a stale value left here would contradict it.
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
    meters.add(Gauge.builder("kfm.health.coverage.pct", latest, r -> pct(r.get().getTraceCoveragePct()))
        .description("Coverage of the scope's latest window, percent: runs with trace context (check=trace) or an "
            + "energy report (check=energy)").tag("scope", scope).tag("check", "trace").register(registry));
    meters.add(Gauge.builder("kfm.health.coverage.pct", latest, r -> pct(r.get().getEnergyReportCoveragePct()))
        .description("Coverage of the scope's latest window, percent: runs with trace context (check=trace) or an "
            + "energy report (check=energy)").tag("scope", scope).tag("check", "energy").register(registry));
    meters.add(Gauge.builder("kfm.health.runs.checked", latest, r -> r.get().getRunsChecked())
        .description("Runs checked in the scope's latest window").tag("scope", scope).register(registry));
    gaugesByScope.put(scope, meters);
    return latest;
  }

  private static double pct(Double value) {
    return value == null ? Double.NaN : value;
  }
}
