package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.VerdictStatus;

/**
 * Silence and the wall clock: windows close when traffic stops (and the silence alert fires, then
 * resolves), but not while a backlog is still being read.
 */
class HealthSilenceTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PIPELINE = HealthTopologyTest.PIPELINE;

  @TempDir Path stateDir;

  @Test
  void shouldCloseWindowsWithoutTrafficAndRaiseThenResolveTheSilenceAlert() throws IOException {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T00:30:00Z"))) {
      // Given twelve good runs just after midnight, then no traffic at all
      for (int i = 0; i < 12; i++) {
        h.run(
            PIPELINE,
            "r-" + i,
            Instant.parse("2026-01-23T00:00:00Z").plusSeconds(60L * i),
            true,
            true);
      }

      // When only the wall clock moves, an hour at a time, to 08:30
      for (int i = 0; i < 8; i++) {
        h.advanceWallClock(Duration.ofHours(1));
      }

      // Then every hourly window closed, and the silence (more than 6 h without a run) raised one
      // alert
      assertThat(h.healthChecks(PIPELINE))
          .extracting(HealthCheck::getWindowEnd)
          .contains(Instant.parse("2026-01-23T01:00:00Z"), Instant.parse("2026-01-23T07:00:00Z"));
      List<TestRecord<String, byte[]>> alerts = h.alerts.readRecordsToList();
      assertThat(alerts)
          .extracting(TestRecord::key)
          .containsExactlyInAnyOrder(
              PIPELINE + "|KFM-TELEM-SILENCE-001", "*|KFM-TELEM-SILENCE-001");
      ObjectNode alert = (ObjectNode) MAPPER.readTree(alerts.get(0).value());
      assertThat(alert.path("policy").path("denies").get(0).path("rule_id").asText())
          .isEqualTo("KFM-TELEM-SILENCE-001");
      HealthTopologyTest.assertSignedAndValid(alerts.get(0).value());

      // When runs come back
      h.run(PIPELINE, "back", Instant.parse("2026-01-23T08:40:00Z"), true, true);
      h.advanceWallClock(Duration.ofHours(1));
      h.advanceWallClock(Duration.ofHours(1));

      // Then the silence alert is resolved, once per scope
      assertThat(h.alerts.readRecordsToList())
          .extracting(TestRecord::key)
          .containsExactlyInAnyOrder(
              PIPELINE + "|KFM-TELEM-SILENCE-001", "*|KFM-TELEM-SILENCE-001");
    }
  }

  @Test
  void shouldNotTakeAScopeForSilentWhileItsBacklogIsStillBeingRead() throws IOException {
    // Given a service that reads, a day late, a backlog of a day of hourly runs: the wall clock is
    // far ahead of the records, and it ticks a minute between records
    Instant start = Instant.parse("2026-01-22T00:10:00Z");
    try (HealthDriver h = new HealthDriver(stateDir, start.plus(Duration.ofDays(1)))) {
      // When the backlog is read
      for (int i = 0; i < 24; i++) {
        h.run(PIPELINE, "backlog-" + i, start.plus(Duration.ofHours(i)), true, true);
        h.advanceWallClock(Duration.ofMinutes(1));
      }

      // Then stream time closed the windows, not the wall clock: no check ever saw the scope silent
      assertThat(h.healthChecks(PIPELINE))
          .isNotEmpty()
          .allSatisfy(
              c ->
                  assertThat(HealthTopologyTest.status(c, "KFM-TELEM-SILENCE-001"))
                      .isNotEqualTo(VerdictStatus.FAIL));
      assertThat(h.alerts.readRecordsToList()).isEmpty();

      // And once the input has been idle for a while the wall clock closes the remaining windows
      h.advanceWallClock(Duration.ofHours(2));
      assertThat(h.healthChecks(PIPELINE))
          .extracting(HealthCheck::getWindowEnd)
          .contains(Instant.parse("2026-01-23T00:00:00Z"));
    }
  }

  @Test
  void shouldNotCloseWindowsByTheWallClockBeforeATaskJustAssignedHasReadItsBacklog() {
    // Given a task that has just started on this instance (as after a rebalance) with a day-old
    // backlog that reaches it only after the first wall-clock tick
    Instant start = Instant.parse("2026-01-22T00:10:00Z");
    try (HealthDriver h = new HealthDriver(stateDir, start.plus(Duration.ofDays(1)))) {
      h.advanceWallClock(Duration.ofSeconds(10));

      // When the backlog is read, a minute of wall clock between records
      for (int i = 0; i < 24; i++) {
        h.run(PIPELINE, "moved-" + i, start.plus(Duration.ofHours(i)), true, true);
        h.advanceWallClock(Duration.ofMinutes(1));
      }

      // Then stream time closed the windows, from the first one on: the wall clock did not judge
      // the newest window before the backlog was read (nor skip the older ones), so no check saw
      // the scope silent and no alert went out
      assertThat(h.healthChecks(PIPELINE))
          .extracting(HealthCheck::getWindowEnd)
          .contains(Instant.parse("2026-01-22T01:00:00Z"), Instant.parse("2026-01-22T22:00:00Z"))
          .doesNotHaveDuplicates();
      assertThat(h.alerts.readRecordsToList()).isEmpty();
    }
  }
}
