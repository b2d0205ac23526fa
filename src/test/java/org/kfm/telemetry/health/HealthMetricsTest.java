package org.kfm.telemetry.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.avro.HealthCheck;

/** The health gauges follow the latest check of each scope and leave with the scope's task. */
class HealthMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final HealthMetrics metrics = new HealthMetrics(registry);

  private static HealthCheck check(String scope, Double trace, Double energy, int runs) {
    return HealthCheck.newBuilder()
        .setScope(scope)
        .setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.EPOCH)
        .setWindowHours(24)
        .setRunsChecked(runs)
        .setRunsWithTrace(0)
        .setRunsWithEnergyReport(0)
        .setTraceCoveragePct(trace)
        .setEnergyReportCoveragePct(energy)
        .setTraceSloPct(95.0)
        .setEnergySloPct(90.0)
        .setMinRuns(10)
        .setLastRunChecked(null)
        .setVerdicts(List.of())
        .build();
  }

  private double gauge(String scope, String check) {
    return registry
        .get("kfm.health.coverage.pct")
        .tag("scope", scope)
        .tag("check", check)
        .gauge()
        .value();
  }

  @Test
  void shouldShowTheLatestCheckOfEachScopeAndNaNWithoutRuns() {
    metrics.checked(check("a", 90.0, 80.0, 12), true);
    metrics.checked(check("a", 97.9, 87.5, 48), true);
    metrics.checked(check("b", null, null, 0), true);

    assertThat(gauge("a", "trace")).isEqualTo(97.9);
    assertThat(gauge("a", "energy")).isEqualTo(87.5);
    assertThat(registry.get("kfm.health.runs.checked").tag("scope", "a").gauge().value())
        .isEqualTo(48);
    assertThat(gauge("b", "trace")).isNaN();
    assertThat(registry.get("kfm.health.checks").counter().count()).isEqualTo(3);
  }

  @Test
  void shouldCountARevisionOfAnOlderWindowWithoutMovingTheGauges() {
    metrics.checked(check("a", 97.9, 87.5, 48), true);

    metrics.checked(check("a", 10.0, 10.0, 3), false);

    assertThat(gauge("a", "trace")).isEqualTo(97.9);
    assertThat(registry.get("kfm.health.checks").counter().count()).isEqualTo(2);
  }

  @Test
  void shouldCountClampedAndLateEventsPerPipeline() {
    metrics.clamped("kfm.ingest.a");
    metrics.clamped("kfm.ingest.a");
    metrics.late(null);
    metrics.lateChange("*");

    assertThat(
            registry
                .get("kfm.health.clamped.events")
                .tag("pipeline", "kfm.ingest.a")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get("kfm.health.late.events").tag("pipeline", "(none)").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("kfm.health.late.changes").tag("scope", "*").counter().count())
        .isEqualTo(1);
  }

  @Test
  void shouldDropTheGaugesOfScopesWhoseTaskLeftButKeepTheCounters() {
    metrics.checked(check("a", 97.9, 87.5, 48), true);
    metrics.checked(check("b", 99.0, 99.0, 20), true);
    metrics.alerted("KFM-TELEM-ENERGY-001", true);

    metrics.forget(List.of("a"));

    assertThat(registry.find("kfm.health.coverage.pct").tag("scope", "a").gauges()).isEmpty();
    assertThat(registry.find("kfm.health.runs.checked").tag("scope", "a").gauges()).isEmpty();
    assertThat(gauge("b", "trace")).isEqualTo(99.0);
    assertThat(registry.get("kfm.alerts").tag("status", "firing").counter().count()).isEqualTo(1);

    // a scope that comes back is reported again
    metrics.checked(check("a", 50.0, 50.0, 10), true);
    assertThat(gauge("a", "energy")).isEqualTo(50.0);
  }
}
