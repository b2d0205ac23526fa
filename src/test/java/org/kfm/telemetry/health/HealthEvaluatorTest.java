package org.kfm.telemetry.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
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
    SloPolicy policy =
        new SloPolicy(
            Slo.DEFAULTS,
            Map.of(
                "kfm.ingest.*",
                new Slo(80, 70),
                "kfm.ingest.hydrology.*",
                new Slo(85, 75),
                "kfm.ingest.hydrology.river_gauges",
                new Slo(99, 99)));

    assertThat(policy.sloFor("kfm.ingest.hydrology.river_gauges")).isEqualTo(new Slo(99, 99));
    assertThat(policy.sloFor("kfm.ingest.hydrology.wells")).isEqualTo(new Slo(85, 75));
    assertThat(policy.sloFor("kfm.ingest.soil")).isEqualTo(new Slo(80, 70));
    assertThat(policy.sloFor("ci.daily.healthcheck")).isEqualTo(Slo.DEFAULTS);
    assertThat(policy.sloFor("*")).isEqualTo(Slo.DEFAULTS);
  }

  @Test
  void shouldJudgeAgainstTheOverrideAndOnlyPanesInsideTheWindow() {
    HealthConfig config =
        HealthConfig.defaults().withSlos(Slo.DEFAULTS, Map.of("kfm.ingest.*", new Slo(50, 50)), 2);
    HealthEvaluator evaluator = new HealthEvaluator(config);
    long hour = Duration.ofHours(1).toMillis();
    long end = Duration.ofDays(30).toMillis();
    NavigableMap<Long, Pane> panes = new TreeMap<>();
    panes.put(
        end - hour,
        Pane.EMPTY.plus(run(end - 1, true, false), 1).plus(run(end - 2, true, true), 1));
    panes.put(end, Pane.EMPTY.plus(run(end, false, false), 1));
    panes.put(end - 25 * hour, Pane.EMPTY.plus(run(end - 25 * hour, false, false), 1));

    HealthCheck check = evaluator.evaluate("kfm.ingest.x", end, panes, end - 25 * hour, 0);

    assertThat(check.getRunsChecked()).isEqualTo(2);
    assertThat(check.getEnergyReportCoveragePct()).isEqualTo(50.0);
    assertThat(check.getLastRunChecked().toEpochMilli()).isEqualTo(end - 1);
    assertThat(check.getVerdicts())
        .extracting(v -> v.getStatus())
        .containsExactly(VerdictStatus.PASS, VerdictStatus.PASS, VerdictStatus.PASS);
  }

  @Test
  void shouldJudgeSilenceAtTheWindowEndFromTheLatestRunBeforeIt() {
    HealthConfig config = HealthConfig.defaults();
    HealthEvaluator evaluator = new HealthEvaluator(config);
    long hour = Duration.ofHours(1).toMillis();
    long end = Duration.ofDays(30).toMillis();
    NavigableMap<Long, Pane> panes = new TreeMap<>();
    panes.put(end - 8 * hour, Pane.EMPTY.plus(run(end - 8 * hour + 1, true, true), 1));
    panes.put(end + hour, Pane.EMPTY.plus(run(end + hour, true, true), 1));

    // the run after the window end does not count: the last one before it is 8 h old
    assertThat(silence(evaluator.evaluate("p", end, panes, end - 8 * hour + 1, 0)))
        .isEqualTo(VerdictStatus.FAIL);
    // runs older than every pane read: silent for longer than the gap
    assertThat(silence(evaluator.evaluate("p", end, new TreeMap<>(), end - 40 * hour, 0)))
        .isEqualTo(VerdictStatus.FAIL);
    // no run before the end at all: no verdict
    panes.remove(end - 8 * hour);
    assertThat(silence(evaluator.evaluate("p", end, panes, end + hour, 0)))
        .isEqualTo(VerdictStatus.NO_VERDICT);
  }

  @Test
  void shouldDigestWhatWasCountedAndJudgedButNotTheRevision() {
    HealthEvaluator evaluator = new HealthEvaluator(HealthConfig.defaults());
    long end = Duration.ofDays(30).toMillis();
    NavigableMap<Long, Pane> panes = new TreeMap<>();
    panes.put(end - 1000, Pane.EMPTY.plus(run(end - 10, true, false), 1));

    int first = HealthEvaluator.digest(evaluator.evaluate("p", end, panes, end - 10, 0));
    int again = HealthEvaluator.digest(evaluator.evaluate("p", end, panes, end - 10, 3));
    panes.put(end - 1000, panes.get(end - 1000).plus(run(end - 5, true, true), 1));
    int more = HealthEvaluator.digest(evaluator.evaluate("p", end, panes, end - 10, 0));

    assertThat(again).isEqualTo(first);
    assertThat(more).isNotEqualTo(first);
  }

  private static VerdictStatus silence(HealthCheck check) {
    return check.getVerdicts().stream()
        .filter(v -> v.getRuleId().equals(HealthRuleId.SILENCE.id()))
        .findFirst()
        .orElseThrow()
        .getStatus();
  }

  private static RunOutcome run(long at, boolean trace, boolean energy) {
    return new RunOutcome("r" + at, "kfm.ingest.x", at, trace, energy, false);
  }
}
