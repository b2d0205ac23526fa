package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.testing.RunEvents;

/**
 * Health checks in time, as a story: late events revise the windows they change (allowed lateness),
 * later ones are counted and left out, a producer whose clock runs ahead is clamped to when its
 * records reached Kafka, and alerts follow the newest window only.
 */
class HealthInTimeTest {

  private static final String PIPELINE = "ci.daily.healthcheck";
  private static final String OTHER = "other.pipeline";

  @TempDir Path stateDir;

  @Test
  void shouldReviseAWindowWhenAnEventWithinTheAllowedLatenessChangesIt() {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T10:06:00Z"))) {
      // Given ten runs at 08:0x, one without an energy report, and the window ending 09:00 emitted
      // (stream time 10:05)
      tenRunsOneWithoutEnergy(h);
      h.run(OTHER, "advance", Instant.parse("2026-01-23T10:05:00Z"), true, true);
      HealthCheck first = single(h.healthChecks(PIPELINE));
      assertThat(first.getWindowEnd()).isEqualTo(Instant.parse("2026-01-23T09:00:00Z"));
      assertThat(first.getRevision()).isZero();
      assertThat(first.getEnergyReportCoveragePct()).isEqualTo(90.0);

      // When that run's energy report arrives two hours behind stream time (within the 6 h allowed
      // lateness)
      h.step(PIPELINE, "late-0", Instant.parse("2026-01-23T08:00:00Z"), true, true);
      h.advanceWallClock(Duration.ofSeconds(10));

      // Then the same window is emitted again, under the same key, as revision 1 with the run
      // covered
      List<TestRecord<String, HealthCheck>> revised =
          h.health.readRecordsToList().stream()
              .filter(r -> r.value().getScope().equals(PIPELINE))
              .toList();
      assertThat(revised).hasSize(1);
      assertThat(revised.get(0).key()).isEqualTo(PIPELINE + "/2026-01-23T09:00:00Z");
      assertThat(revised.get(0).value().getRevision()).isEqualTo(1);
      assertThat(revised.get(0).value().getRunsChecked()).isEqualTo(10);
      assertThat(revised.get(0).value().getEnergyReportCoveragePct()).isEqualTo(100.0);
      assertThat(h.meters.find("kfm.health.late.events").counters()).isEmpty();

      // And nothing is emitted again while nothing changes
      h.advanceWallClock(Duration.ofSeconds(10));
      assertThat(h.healthChecks(PIPELINE)).isEmpty();
    }
  }

  @Test
  void shouldCountButNotApplyAnEventBeyondTheAllowedLateness() {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T15:01:00Z"))) {
      // Given the same ten runs, and stream time at 15:00
      tenRunsOneWithoutEnergy(h);
      h.run(OTHER, "advance", Instant.parse("2026-01-23T15:00:00Z"), true, true);
      assertThat(last(h.healthChecks(PIPELINE)).getEnergyReportCoveragePct()).isEqualTo(90.0);

      // When the energy report arrives seven hours behind stream time
      h.step(PIPELINE, "late-0", Instant.parse("2026-01-23T08:00:00Z"), true, true);
      h.advanceWallClock(Duration.ofSeconds(10));

      // Then it is counted as too late for its pipeline and changes nothing
      assertThat(h.meters.get("kfm.health.late.events").tag("pipeline", PIPELINE).counter().count())
          .isEqualTo(1);
      assertThat(h.healthChecks(PIPELINE)).isEmpty();
    }
  }

  @Test
  void shouldCountASkewedProducerAtItsRecordTimeAndLoseNoRunOfTheOthers() {
    Instant now = Instant.parse("2026-01-23T10:00:00Z");
    try (HealthDriver h = new HealthDriver(stateDir, now)) {
      // Given twelve runs of one pipeline whose clock is 20 h ahead, between two batches of
      // another's runs stamped two to three hours ago, all reaching Kafka now
      for (int i = 0; i < 6; i++) {
        h.send(
            RunEvents.event(
                "pipeline.run.completed",
                PIPELINE,
                "a-" + i,
                now.minus(Duration.ofHours(3)).plusSeconds(60L * i),
                true,
                true),
            now);
      }
      for (int i = 0; i < 12; i++) {
        h.send(
            RunEvents.event(
                "pipeline.run.completed",
                "skewed.pipeline",
                "s-" + i,
                now.plus(Duration.ofHours(20)).plusSeconds(60L * i),
                true,
                true),
            now);
      }
      for (int i = 6; i < 12; i++) {
        h.send(
            RunEvents.event(
                "pipeline.run.completed",
                PIPELINE,
                "a-" + i,
                now.minus(Duration.ofHours(2)).plusSeconds(60L * i),
                true,
                true),
            now);
      }

      // When the wall clock moves on, a little at a time, for two hours
      for (int i = 0; i < 24; i++) {
        h.advanceWallClock(Duration.ofMinutes(5));
      }
      List<HealthCheck> checks = h.health.readValuesToList();

      // Then the other pipeline's runs all count, and the skewed ones count at their record time +
      // 5 min
      HealthCheck other =
          checks.stream()
              .filter(c -> c.getScope().equals(PIPELINE))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertThat(other.getRunsChecked()).isEqualTo(12);
      HealthCheck skewed =
          checks.stream()
              .filter(c -> c.getScope().equals("skewed.pipeline"))
              .reduce((a, b) -> b)
              .orElseThrow();
      assertThat(skewed.getRunsChecked()).isEqualTo(12);
      assertThat(skewed.getRunsClamped()).isEqualTo(12);
      assertThat(skewed.getLastRunChecked()).isEqualTo(now.plus(Duration.ofMinutes(5)));
      assertThat(
              h.meters
                  .get("kfm.health.clamped.events")
                  .tag("pipeline", "skewed.pipeline")
                  .counter()
                  .count())
          .isEqualTo(12);
      assertThat(h.meters.find("kfm.health.late.events").counters()).isEmpty();

      // And no window ending after the wall clock (+ one interval) was ever evaluated
      Instant latestWallClock = now.plus(Duration.ofHours(2));
      assertThat(checks)
          .allSatisfy(c -> assertThat(c.getWindowEnd()).isBeforeOrEqualTo(latestWallClock));
    }
  }

  @Test
  void shouldLetARevisionOfAnOlderWindowNeitherFireNorResolveAnAlert() {
    // Given one-hour windows: a pane belongs to one window only
    HealthConfig hourly =
        HealthConfig.defaults()
            .withWindows(
                Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(6));
    try (HealthDriver h =
        new HealthDriver(stateDir, Instant.parse("2026-01-23T11:06:00Z"), hourly)) {
      // Given passing windows ending 09:00 and 10:00
      for (int i = 0; i < 10; i++) {
        h.run(
            PIPELINE,
            "a-" + i,
            Instant.parse("2026-01-23T08:01:00Z").plusSeconds(60L * i),
            true,
            true);
      }
      h.run(OTHER, "advance-1", Instant.parse("2026-01-23T10:05:00Z"), true, true);
      for (int i = 0; i < 10; i++) {
        h.run(
            PIPELINE,
            "b-" + i,
            Instant.parse("2026-01-23T09:01:00Z").plusSeconds(60L * i),
            true,
            true);
      }
      h.run(OTHER, "advance-2", Instant.parse("2026-01-23T11:05:00Z"), true, true);
      assertThat(h.healthChecks(PIPELINE))
          .extracting(HealthCheck::getWindowEnd)
          .containsExactly(
              Instant.parse("2026-01-23T09:00:00Z"), Instant.parse("2026-01-23T10:00:00Z"));

      // When ten late runs without trace context or energy report make the older window fail
      for (int i = 0; i < 10; i++) {
        h.run(
            PIPELINE,
            "late-" + i,
            Instant.parse("2026-01-23T08:30:00Z").plusSeconds(60L * i),
            false,
            false);
      }
      h.advanceWallClock(Duration.ofSeconds(10));

      // Then its revision says so, but no alert fires: the newest window still passes
      HealthCheck revision = single(h.healthChecks(PIPELINE));
      assertThat(revision.getWindowEnd()).isEqualTo(Instant.parse("2026-01-23T09:00:00Z"));
      assertThat(revision.getRevision()).isEqualTo(1);
      assertThat(status(revision, "KFM-TELEM-TRACE-001")).isEqualTo(VerdictStatus.FAIL);
      assertThat(h.alerts.readRecordsToList()).isEmpty();

      // When the same happens to the newest window, it fires
      for (int i = 0; i < 10; i++) {
        h.run(
            PIPELINE,
            "late-b-" + i,
            Instant.parse("2026-01-23T09:30:00Z").plusSeconds(60L * i),
            false,
            false);
      }
      h.advanceWallClock(Duration.ofSeconds(10));
      assertThat(h.alerts.readRecordsToList())
          .extracting(TestRecord::key)
          .contains(PIPELINE + "|KFM-TELEM-TRACE-001,KFM-TELEM-ENERGY-001");
    }
  }

  @Test
  void shouldEvaluateAScopeThatAppearsBetweenTwoEvaluationsAtTheNextTick() {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T10:16:00Z"))) {
      // Given a task that evaluated the windows ending 09:00 (stream time 10:15)
      h.run(OTHER, "first", Instant.parse("2026-01-23T08:00:00Z"), true, true);
      h.run(OTHER, "advance", Instant.parse("2026-01-23T10:15:00Z"), true, true);
      assertThat(h.healthChecks(OTHER))
          .extracting(HealthCheck::getWindowEnd)
          .containsExactly(Instant.parse("2026-01-23T09:00:00Z"));

      // When a new pipeline's first runs arrive without moving stream time past the next hour
      tenRunsOneWithoutEnergy(h);
      h.advanceWallClock(Duration.ofSeconds(10));

      // Then its window ending 09:00 is evaluated at the next tick, as the other scopes' was
      HealthCheck check = single(h.healthChecks(PIPELINE));
      assertThat(check.getWindowEnd()).isEqualTo(Instant.parse("2026-01-23T09:00:00Z"));
      assertThat(check.getRunsChecked()).isEqualTo(10);
    }
  }

  @Test
  void shouldForgetRunsOnceNoEventCanChangeThemAnyMore() {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T10:00:00Z"))) {
      // Given ten checked runs and one that never completes
      tenRunsOneWithoutEnergy(h);
      h.step(PIPELINE, "open", Instant.parse("2026-01-23T08:00:00Z"), true, true);
      assertThat(count(h.driver.getKeyValueStore(HealthTopology.RUN_STORE))).isEqualTo(11);

      // When stream time passes allowed lateness + grace after them (checked runs) ...
      h.run(OTHER, "later", Instant.parse("2026-01-23T15:30:00Z"), true, true);
      h.run(OTHER, "later-still", Instant.parse("2026-01-23T16:30:00Z"), true, true);

      // Then the checked runs are forgotten, the open one (and the latest ones) kept
      assertThat(count(h.driver.getKeyValueStore(HealthTopology.RUN_STORE))).isEqualTo(3);

      // ... and window + allowed lateness after the open one, it is forgotten too
      h.run(OTHER, "day-later", Instant.parse("2026-01-24T15:00:00Z"), true, true);
      assertThat(h.driver.<String, Object>getKeyValueStore(HealthTopology.RUN_STORE).get("open"))
          .isNull();
      assertThat(count(h.driver.getKeyValueStore(HealthTopology.RUN_EXPIRY_STORE)))
          .isEqualTo(count(h.driver.getKeyValueStore(HealthTopology.RUN_STORE)));
    }
  }

  private static long count(org.apache.kafka.streams.state.KeyValueStore<String, Object> store) {
    long n = 0;
    try (var it = store.all()) {
      while (it.hasNext()) {
        it.next();
        n++;
      }
    }
    return n;
  }

  private static void tenRunsOneWithoutEnergy(HealthDriver h) {
    for (int i = 0; i < 10; i++) {
      h.run(
          PIPELINE,
          "late-" + i,
          Instant.parse("2026-01-23T08:01:00Z").plusSeconds(60L * i),
          true,
          i != 0);
    }
  }

  private static VerdictStatus status(HealthCheck check, String rule) {
    return check.getVerdicts().stream()
        .filter(v -> v.getRuleId().equals(rule))
        .map(SloVerdict::getStatus)
        .findFirst()
        .orElseThrow();
  }

  private static HealthCheck single(List<HealthCheck> checks) {
    assertThat(checks).hasSize(1);
    return checks.get(0);
  }

  private static <T> T last(List<T> list) {
    assertThat(list).isNotEmpty();
    return list.get(list.size() - 1);
  }
}
