package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.SloVerdict;
import org.kfm.telemetry.avro.VerdictStatus;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.contract.PayloadSignatures;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.validation.TrustedKeys;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.Verdict;

/**
 * Health checks as a story: runs in on the raw topic, HealthCheck records and signed alerts out.
 */
class HealthTopologyTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  static final String PIPELINE = "ci.daily.healthcheck";
  static final Instant DAY_START = Instant.parse("2026-01-22T19:00:00Z");
  static final Instant SEED_WINDOW_END = Instant.parse("2026-01-23T19:00:00Z");

  @TempDir Path stateDir;

  @Test
  void shouldReportTheSeedCoverageAndRaiseOneSignedValidEnergyAlert() throws IOException {
    try (HealthDriver h = new HealthDriver(stateDir, DAY_START)) {
      // Given the seed's day: 48 runs, 47 with trace context, 42 with an energy report
      seedDay(h);

      // When the window ending at 19:00 closes (wall clock past its end + grace)
      h.advanceWallClock(Duration.ofHours(25));

      // Then its health check shows 97.9 % and 87.5 %
      HealthCheck check = last(h.healthChecks(PIPELINE));
      assertThat(check.getWindowEnd()).isEqualTo(SEED_WINDOW_END);
      assertThat(check.getRunsChecked()).isEqualTo(48);
      assertThat(check.getRunsWithTrace()).isEqualTo(47);
      assertThat(check.getRunsWithEnergyReport()).isEqualTo(42);
      assertThat(check.getTraceCoveragePct()).isEqualTo(97.9);
      assertThat(check.getEnergyReportCoveragePct()).isEqualTo(87.5);
      assertThat(status(check, "KFM-TELEM-ENERGY-001")).isEqualTo(VerdictStatus.FAIL);
      assertThat(status(check, "KFM-TELEM-TRACE-001")).isEqualTo(VerdictStatus.PASS);

      // And exactly one alert for the pipeline (and one for the fleet), in the seed's form
      List<TestRecord<String, byte[]>> alerts = h.alerts.readRecordsToList();
      assertThat(alerts)
          .extracting(TestRecord::key)
          .containsExactlyInAnyOrder(PIPELINE + "|KFM-TELEM-ENERGY-001", "*|KFM-TELEM-ENERGY-001");
      TestRecord<String, byte[]> record =
          alerts.stream().filter(a -> a.key().startsWith(PIPELINE)).findFirst().orElseThrow();
      ObjectNode alert = (ObjectNode) MAPPER.readTree(record.value());
      assertThat(alert.path("kind").asText()).isEqualTo("wpe.alert");
      assertThat(alert.path("level").asText()).isEqualTo("error");
      assertThat(alert.path("ts").asText()).isEqualTo("2026-01-23T19:00:00.000Z");
      assertThat(alert.path("message").asText())
          .isEqualTo("Telemetry health check failed: missing energy report");
      assertThat(alert.path("actor").toString())
          .isEqualTo(
              "{\"actor_type\":\"agent\",\"actor_id\":\"kfm.watcher\",\"roles\":[\"observer\"]}");
      assertThat(alert.path("target").toString())
          .isEqualTo("{\"pipeline\":\"" + PIPELINE + "\",\"window_hours\":24}");
      assertThat(alert.path("metrics").toString())
          .isEqualTo(
              "{\"runs_checked\":48,\"trace_coverage_pct\":97.9,\"energy_report_coverage_pct\":87.5}");
      assertThat(alert.path("policy").toString())
          .isEqualTo(
              "{\"decision\":\"fail\",\"denies\":[{\"rule_id\":"
                  + "\"KFM-TELEM-ENERGY-001\",\"severity\":\"error\",\"reason\":\"Energy report coverage below SLO threshold\"}]}");
      assertThat(alert.path("artifacts").get(0).path("type").asText())
          .isEqualTo("telemetry_healthcheck_report");
      assertThat(alert.path("artifacts").get(0).path("ref").asText())
          .isEqualTo("kafka://kfm.telemetry.health/" + PIPELINE + "/" + SEED_WINDOW_END);
      assertThat(alert.path("privacy").toString())
          .isEqualTo("{\"classification\":\"internal\",\"contains_pii\":false}");
      String id = alert.path("correlation").path("correlation_id").asText();
      assertThat(id).startsWith("kfm-alert-");
      assertThat(DeadLetters.value(record.headers(), "ce_id")).isEqualTo(id);
      assertThat(DeadLetters.value(record.headers(), "ce_specversion")).isEqualTo("1.0");
      assertThat(DeadLetters.value(record.headers(), "ce_type")).isEqualTo("org.kfm.wpe.alert");
      assertThat(DeadLetters.value(record.headers(), "ce_source"))
          .isEqualTo("/kfm/telemetry-streams/health");
      assertThat(DeadLetters.value(record.headers(), "ce_time"))
          .isEqualTo("2026-01-23T19:00:00.000Z");
      assertThat(DeadLetters.value(record.headers(), "content-type")).isEqualTo("application/json");
      assertSignedAndValid(record.value());

      // And the meters show the scope's coverage and the alerts fired
      assertThat(
              h.meters
                  .get("kfm.health.coverage.pct")
                  .tag("scope", PIPELINE)
                  .tag("check", "trace")
                  .gauge()
                  .value())
          .isEqualTo(97.9);
      assertThat(
              h.meters
                  .get("kfm.health.coverage.pct")
                  .tag("scope", PIPELINE)
                  .tag("check", "energy")
                  .gauge()
                  .value())
          .isEqualTo(87.5);
      assertThat(h.meters.get("kfm.health.runs.checked").tag("scope", PIPELINE).gauge().value())
          .isEqualTo(48);
      assertThat(
              h.meters
                  .get("kfm.alerts")
                  .tag("rule", "KFM-TELEM-ENERGY-001")
                  .tag("status", "firing")
                  .counter()
                  .count())
          .isEqualTo(2);
    }
  }

  @Test
  void shouldNotRepeatAnAlertWhileTheBreachHoldsAndResolveItOnceOnRecovery() throws IOException {
    try (HealthDriver h = new HealthDriver(stateDir, DAY_START)) {
      // Given the seed's day has raised the energy alert
      seedDay(h);
      h.advanceWallClock(Duration.ofHours(25));
      assertThat(h.alerts.readRecordsToList()).hasSize(2);
      h.health.readRecordsToList();

      // When the breach holds over four more hourly evaluations
      for (int i = 0; i < 4; i++) {
        h.advanceWallClock(Duration.ofHours(1));
      }

      // Then health checks keep coming but no alert repeats
      assertThat(h.healthChecks(PIPELINE))
          .hasSize(4)
          .allSatisfy(
              c -> assertThat(status(c, "KFM-TELEM-ENERGY-001")).isEqualTo(VerdictStatus.FAIL));
      assertThat(h.alerts.isEmpty()).isTrue();

      // When 40 good runs arrive and the next window closes
      Instant next = Instant.parse("2026-01-23T23:05:00Z");
      for (int i = 0; i < 40; i++) {
        h.run(PIPELINE, "good-" + i, next.plusSeconds(60L * i), true, true);
      }
      h.advanceWallClock(Duration.ofHours(2));
      h.advanceWallClock(Duration.ofHours(1));

      // Then exactly one resolved alert per scope: level info, decision pass, no denies, signed and
      // valid
      List<TestRecord<String, byte[]>> resolved = h.alerts.readRecordsToList();
      assertThat(resolved)
          .extracting(TestRecord::key)
          .containsExactlyInAnyOrder(PIPELINE + "|KFM-TELEM-ENERGY-001", "*|KFM-TELEM-ENERGY-001");
      ObjectNode alert = (ObjectNode) MAPPER.readTree(resolved.get(0).value());
      assertThat(alert.path("level").asText()).isEqualTo("info");
      assertThat(alert.path("policy").toString())
          .isEqualTo("{\"decision\":\"pass\",\"denies\":[]}");
      assertThat(alert.path("message").asText())
          .isEqualTo("Telemetry health check recovered: missing energy report");
      assertThat(h.meters.get("kfm.alerts").tag("status", "resolved").counter().count())
          .isEqualTo(2);
      assertThat(h.meters.get("kfm.alerts").tag("status", "firing").counter().count()).isEqualTo(2);
      assertSignedAndValid(resolved.get(0).value());
    }
  }

  @Test
  void shouldCarryBothDeniesInOneAlertWhenBothRulesBreachTogether() throws IOException {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T00:00:00Z"))) {
      // Given twelve runs with neither trace context nor an energy report
      for (int i = 0; i < 12; i++) {
        h.run(
            PIPELINE,
            "bare-" + i,
            Instant.parse("2026-01-23T08:00:00Z").plusSeconds(60L * i),
            false,
            false);
      }

      // When the window closes
      h.advanceWallClock(Duration.ofHours(10));

      // Then one alert per scope carries both denies
      TestRecord<String, byte[]> record =
          h.alerts.readRecordsToList().stream()
              .filter(a -> a.key().startsWith(PIPELINE))
              .reduce(
                  (a, b) -> {
                    throw new AssertionError("more than one alert for the pipeline");
                  })
              .orElseThrow();
      assertThat(record.key()).isEqualTo(PIPELINE + "|KFM-TELEM-TRACE-001,KFM-TELEM-ENERGY-001");
      ObjectNode alert = (ObjectNode) MAPPER.readTree(record.value());
      assertThat(alert.path("policy").path("denies"))
          .extracting(d -> d.path("rule_id").asText())
          .containsExactly("KFM-TELEM-TRACE-001", "KFM-TELEM-ENERGY-001");
      assertThat(alert.path("message").asText())
          .isEqualTo("Telemetry health check failed: missing trace context, missing energy report");
      assertSignedAndValid(record.value());
    }
  }

  @Test
  void shouldCountALateEventWithinGrace() {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T00:00:00Z"))) {
      // Given ten runs, one of them without an energy report
      tenRunsOneWithoutEnergy(h);

      // When that run's energy report arrives late but within the 1 h grace (stream time 08:50)
      h.run("other.pipeline", "advance", Instant.parse("2026-01-23T08:50:00Z"), true, true);
      h.step(PIPELINE, "late-0", Instant.parse("2026-01-23T08:00:00Z"), true, true);
      h.advanceWallClock(Duration.ofHours(10));

      // Then the window ending 09:00 counts it
      HealthCheck check = last(h.healthChecks(PIPELINE));
      assertThat(check.getWindowEnd()).isEqualTo(Instant.parse("2026-01-23T09:00:00Z"));
      assertThat(check.getEnergyReportCoveragePct()).isEqualTo(100.0);
    }
  }

  @Test
  void shouldGiveNoVerdictAndNoAlertBelowTheMinimumRunCount() {
    try (HealthDriver h = new HealthDriver(stateDir, Instant.parse("2026-01-23T00:00:00Z"))) {
      // Given nine runs, none with trace context or an energy report
      for (int i = 0; i < 9; i++) {
        h.run(
            PIPELINE,
            "few-" + i,
            Instant.parse("2026-01-23T08:00:00Z").plusSeconds(60L * i),
            false,
            false);
      }

      // When the window closes
      h.advanceWallClock(Duration.ofHours(10));

      // Then coverage is 0 % but there is no verdict, and no alert
      HealthCheck check = last(h.healthChecks(PIPELINE));
      assertThat(check.getRunsChecked()).isEqualTo(9);
      assertThat(check.getTraceCoveragePct()).isEqualTo(0.0);
      assertThat(status(check, "KFM-TELEM-TRACE-001")).isEqualTo(VerdictStatus.NO_VERDICT);
      assertThat(status(check, "KFM-TELEM-ENERGY-001")).isEqualTo(VerdictStatus.NO_VERDICT);
      assertThat(h.alerts.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldRefuseToBuildWithAlertsEnabledButNoSigningKey() {
    AppConfig config =
        AppConfig.defaults().withHealth(HealthConfig.defaults().withAlertsEnabled(true));

    assertThatThrownBy(
            () ->
                TelemetryTopology.build(
                    config, TestSerdes.of("nokey"), new SimpleMeterRegistry(), "test"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("health.alerts.signing-key");
  }

  @Test
  void shouldListTheTopicsTheTopologyReadsBesidesKafkaStreamsOwn() {
    for (AppConfig config :
        List.of(
            HealthDriver.config(HealthConfig.defaults()),
            HealthDriver.config(HealthConfig.defaults()).withoutHealth())) {
      Set<String> read = new TreeSet<>();
      TelemetryTopology.build(config, TestSerdes.of("sources"), new SimpleMeterRegistry(), "test")
          .describe()
          .subtopologies()
          .forEach(
              sub ->
                  sub.nodes().stream()
                      .filter(TopologyDescription.Source.class::isInstance)
                      .forEach(n -> read.addAll(((TopologyDescription.Source) n).topicSet())));

      assertThat(read)
          .containsExactlyInAnyOrderElementsOf(
              Stream.concat(
                      TelemetryTopology.sourceTopics(config).stream(),
                      Stream.of(TelemetryTopology.BY_DEDUP_KEY + "-repartition"))
                  .toList());
    }
  }

  @Test
  void shouldNameEveryHealthNodeAndStore() {
    String description =
        TelemetryTopology.build(
                HealthDriver.config(HealthConfig.defaults()),
                TestSerdes.of("names"),
                new SimpleMeterRegistry(),
                "test")
            .describe()
            .toString();

    assertThat(description)
        .contains("Source: health-valid-source (topics: [kfm.telemetry.valid])")
        .contains("Processor: health-run-tracker (stores: [")
        .contains("health-run-store")
        .contains("health-run-expiry-store")
        .contains(
            "Sink: health-by-scope-sink (topic: kfm-telemetry-streams-health-by-scope-repartition)")
        .contains(
            "Source: health-by-scope-source (topics: [kfm-telemetry-streams-health-by-scope-repartition])")
        .contains("Processor: health-windows (stores: [")
        .contains("health-scope-panes-store")
        .contains("health-scope-store")
        .contains("Sink: health-sink (topic: kfm.telemetry.health)")
        .contains("Processor: health-alerts (stores: [health-alert-state-store])")
        .contains("Sink: alerts-sink (topic: kfm.telemetry.alerts)")
        .doesNotContain("KSTREAM-");
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

  static void seedDay(HealthDriver h) {
    // The runs without energy report or trace are the day's last ones, so earlier windows pass.
    for (int i = 0; i < 48; i++) {
      h.run(PIPELINE, "run-" + i, DAY_START.plus(Duration.ofMinutes(30L * i + 1)), i != 47, i < 42);
    }
  }

  static void assertSignedAndValid(byte[] bytes) throws IOException {
    ObjectNode alert = (ObjectNode) MAPPER.readTree(bytes);
    assertThat(PayloadSignatures.verify(alert, HealthDriver.KEYS.getPublic()).isValid()).isTrue();
    assertThat(alert.path("signature").path("key_id").asText()).isEqualTo(HealthDriver.KEY_ID);
    Validator validator =
        new Validator(
            HealthDriver.config(HealthConfig.defaults())
                .validator()
                .withTrustedKeys(
                    TrustedKeys.of(Map.of(HealthDriver.KEY_ID, HealthDriver.KEYS.getPublic()))));
    Verdict verdict = validator.validate(bytes);
    assertThat(verdict.valid()).as(verdict.toString()).isTrue();
    assertThat(verdict.warnings()).isEmpty();
  }

  static VerdictStatus status(HealthCheck check, String rule) {
    return check.getVerdicts().stream()
        .filter(v -> v.getRuleId().equals(rule))
        .map(SloVerdict::getStatus)
        .findFirst()
        .orElseThrow();
  }

  private static <T> T last(List<T> list) {
    assertThat(list).isNotEmpty();
    return list.get(list.size() - 1);
  }
}
