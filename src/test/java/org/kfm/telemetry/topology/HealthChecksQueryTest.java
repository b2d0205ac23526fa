package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.health.HealthHistory;
import org.kfm.telemetry.health.LatestHealthChecks;

/**
 * /api/health-checks' view of the health stores equals the last health check written per scope; the
 * history store holds what was written of the last 25 hours.
 */
class HealthChecksQueryTest {

  private static final String PIPELINE = "ci.daily.healthcheck";
  private static final Instant DAY_START = Instant.parse("2026-01-22T19:00:00Z");

  @TempDir java.nio.file.Path stateDir;

  @Test
  void shouldAnswerTheLatestHealthCheckOfEveryScopeFromTheStores() {
    try (HealthDriver h = new HealthDriver(stateDir, DAY_START)) {
      // Given the seed's day: 48 runs, 47 with trace context, 42 with an energy report, and its
      // window closed
      for (int i = 0; i < 48; i++) {
        h.run(
            PIPELINE, "run-" + i, DAY_START.plus(Duration.ofMinutes(30L * i + 1)), i != 47, i < 42);
      }
      h.advanceWallClock(Duration.ofHours(25));
      List<HealthCheck> written = h.health.readValuesToList();

      // When the stores are queried as /api/health-checks does
      List<HealthCheck> latest =
          new LatestHealthChecks(h.config.health())
              .of(
                  h.driver.getKeyValueStore(HealthTopology.SCOPE_STORE),
                  h.driver.getKeyValueStore(HealthTopology.PANES_STORE));

      // Then there is one per scope, equal to the last one written for it
      assertThat(latest).extracting(HealthCheck::getScope).containsExactly("*", PIPELINE);
      for (HealthCheck check : latest) {
        HealthCheck last =
            written.stream()
                .filter(w -> w.getScope().equals(check.getScope()))
                .reduce((a, b) -> b)
                .orElseThrow();
        assertThat(check).isEqualTo(last);
      }
      HealthCheck pipeline = latest.get(1);
      assertThat(pipeline.getTraceCoveragePct()).isEqualTo(97.9);
      assertThat(pipeline.getEnergyReportCoveragePct()).isEqualTo(87.5);
    }
  }

  @Test
  void shouldKeepEveryScopesEvaluationsOfTheLast25HoursForTheTrends() {
    try (HealthDriver h = new HealthDriver(stateDir, DAY_START)) {
      // Given the seed's day evaluated hour by hour, then a day later one more run of the pipeline
      for (int i = 0; i < 48; i++) {
        h.run(
            PIPELINE, "run-" + i, DAY_START.plus(Duration.ofMinutes(30L * i + 1)), i != 47, i < 42);
      }
      h.advanceWallClock(Duration.ofHours(25));
      List<HealthCheck> written = h.health.readValuesToList();

      // When the history store is read as /api/health-checks/history does
      Map<String, List<HealthCheck>> all =
          HealthHistory.read(
              h.driver.getWindowStore(HealthTopology.HISTORY_STORE), List.of(), Instant.EPOCH);
      Map<String, List<HealthCheck>> pipeline =
          HealthHistory.read(
              h.driver.getWindowStore(HealthTopology.HISTORY_STORE),
              List.of(PIPELINE),
              written.get(written.size() - 1).getWindowEnd().minus(Duration.ofHours(3)));

      // Then every evaluation written is there once (the latest revision of each window), oldest
      // first, and a later start leaves the older ones out
      assertThat(all).containsOnlyKeys("*", PIPELINE);
      List<HealthCheck> expected =
          written.stream().filter(c -> c.getScope().equals(PIPELINE)).toList();
      assertThat(all.get(PIPELINE)).containsExactlyElementsOf(expected);
      assertThat(pipeline.get(PIPELINE)).hasSize(4);
      assertThat(pipeline.get(PIPELINE).get(3)).isEqualTo(expected.get(expected.size() - 1));

      // When the stream moves on by two days
      Instant later = DAY_START.plus(Duration.ofDays(3));
      for (int i = 0; i < 12; i++) {
        h.run(PIPELINE, "later-" + i, later.plus(Duration.ofMinutes(i)), true, true);
      }
      h.advanceWallClock(Duration.ofHours(30));

      // Then the store drops what is more than 25 h behind its newest window end
      List<HealthCheck> kept =
          HealthHistory.read(
                  h.driver.getWindowStore(HealthTopology.HISTORY_STORE),
                  List.of(PIPELINE),
                  Instant.EPOCH)
              .get(PIPELINE);
      Instant newest = kept.get(kept.size() - 1).getWindowEnd();
      assertThat(kept)
          .allSatisfy(
              c ->
                  assertThat(c.getWindowEnd())
                      .isAfter(newest.minus(HealthHistory.RETENTION).minus(Duration.ofHours(13))));
      assertThat(kept).noneMatch(c -> expected.contains(c));
    }
  }
}
