package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.health.LatestHealthChecks;

/** /api/health-checks' view of the health stores equals the last health check written per scope. */
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
}
