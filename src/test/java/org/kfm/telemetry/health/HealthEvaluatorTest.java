package org.kfm.telemetry.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.config.Slo;

/** Coverage arithmetic, SLO choice and verdicts, without Kafka. */
class HealthEvaluatorTest {

  @Test
  void shouldRoundCoverageHalfUpToOneDecimalAsTheSeedShows() {
    assertThat(HealthEvaluator.pct(47, 48)).isEqualTo(97.9);
    assertThat(HealthEvaluator.pct(42, 48)).isEqualTo(87.5);
    assertThat(HealthEvaluator.pct(1, 16)).isEqualTo(6.3);
    assertThat(HealthEvaluator.pct(0, 0)).isNull();
  }

  @Test
  void shouldPreferAnExactOverrideThenTheLongestGlobThenTheDefaults() {
    SloPolicy policy = new SloPolicy(Slo.DEFAULTS, Map.of("kfm.ingest.*", new Slo(80, 70),
        "kfm.ingest.hydrology.*", new Slo(85, 75), "kfm.ingest.hydrology.river_gauges", new Slo(99, 99)));

    assertThat(policy.sloFor("kfm.ingest.hydrology.river_gauges")).isEqualTo(new Slo(99, 99));
    assertThat(policy.sloFor("kfm.ingest.hydrology.wells")).isEqualTo(new Slo(85, 75));
    assertThat(policy.sloFor("kfm.ingest.soil")).isEqualTo(new Slo(80, 70));
    assertThat(policy.sloFor("ci.daily.healthcheck")).isEqualTo(Slo.DEFAULTS);
    assertThat(policy.sloFor("*")).isEqualTo(Slo.DEFAULTS);
  }

  @Test
  void shouldJudgeAgainstTheOverrideAndOnlyRunsInsideTheWindow() {
    HealthConfig config = HealthConfig.defaults().withSlos(Slo.DEFAULTS, Map.of("kfm.ingest.*", new Slo(50, 50)), 2);
    HealthEvaluator evaluator = new HealthEvaluator(config);
    long end = Duration.ofDays(30).toMillis();
    List<RunOutcome> runs = List.of(new RunOutcome("a", "kfm.ingest.x", end - 1, true, false),
        new RunOutcome("b", "kfm.ingest.x", end - 2, true, true),
        new RunOutcome("c", "kfm.ingest.x", end, false, false),
        new RunOutcome("d", "kfm.ingest.x", end - Duration.ofHours(25).toMillis(), false, false));

    HealthCheck check = evaluator.evaluate("kfm.ingest.x", end, runs, end - 1);

    assertThat(check.getRunsChecked()).isEqualTo(2);
    assertThat(check.getEnergyReportCoveragePct()).isEqualTo(50.0);
    assertThat(check.getVerdicts()).extracting(v -> v.getStatus())
        .containsExactly(VerdictStatus.PASS, VerdictStatus.PASS, VerdictStatus.PASS);
  }
}
