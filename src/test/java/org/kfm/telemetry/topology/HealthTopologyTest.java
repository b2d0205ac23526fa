package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
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

/** Health checks as a story: runs in on the raw topic, HealthCheck records and signed alerts out. */
class HealthTopologyTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String PIPELINE = "ci.daily.healthcheck";
  private static final Instant DAY_START = Instant.parse("2026-01-22T19:00:00Z");
  private static final Instant SEED_WINDOW_END = Instant.parse("2026-01-23T19:00:00Z");

  @TempDir
  Path stateDir;

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
      assertThat(alerts).extracting(TestRecord::key)
          .containsExactlyInAnyOrder(PIPELINE + "|KFM-TELEM-ENERGY-001", "*|KFM-TELEM-ENERGY-001");
      TestRecord<String, byte[]> record = alerts.stream().filter(a -> a.key().startsWith(PIPELINE)).findFirst()
          .orElseThrow();
      ObjectNode alert = (ObjectNode) MAPPER.readTree(record.value());
      assertThat(alert.path("kind").asText()).isEqualTo("wpe.alert");
      assertThat(alert.path("level").asText()).isEqualTo("error");
      assertThat(alert.path("ts").asText()).isEqualTo("2026-01-23T19:00:00.000Z");
      assertThat(alert.path("message").asText()).isEqualTo("Telemetry health check failed: missing energy report");
      assertThat(alert.path("actor").toString())
          .isEqualTo("{\"actor_type\":\"agent\",\"actor_id\":\"kfm.watcher\",\"roles\":[\"observer\"]}");
      assertThat(alert.path("target").toString()).isEqualTo("{\"pipeline\":\"" + PIPELINE + "\",\"window_hours\":24}");
      assertThat(alert.path("metrics").toString())
          .isEqualTo("{\"runs_checked\":48,\"trace_coverage_pct\":97.9,\"energy_report_coverage_pct\":87.5}");
      assertThat(alert.path("policy").toString()).isEqualTo("{\"decision\":\"fail\",\"denies\":[{\"rule_id\":"
          + "\"KFM-TELEM-ENERGY-001\",\"severity\":\"error\",\"reason\":\"Energy report coverage below SLO threshold\"}]}");
      assertThat(alert.path("artifacts").get(0).path("type").asText()).isEqualTo("telemetry_healthcheck_report");
      assertThat(alert.path("artifacts").get(0).path("ref").asText())
          .isEqualTo("kafka://kfm.telemetry.health/" + PIPELINE + "/" + SEED_WINDOW_END);
      assertThat(alert.path("privacy").toString()).isEqualTo("{\"classification\":\"internal\",\"contains_pii\":false}");
      String id = alert.path("correlation").path("correlation_id").asText();
      assertThat(id).startsWith("kfm-alert-");
      assertThat(DeadLetters.value(record.headers(), "ce_id")).isEqualTo(id);
      assertThat(DeadLetters.value(record.headers(), "ce_specversion")).isEqualTo("1.0");
      assertThat(DeadLetters.value(record.headers(), "ce_type")).isEqualTo("org.kfm.wpe.alert");
      assertThat(DeadLetters.value(record.headers(), "ce_source")).isEqualTo("/kfm/telemetry-streams/health");
      assertThat(DeadLetters.value(record.headers(), "ce_time")).isEqualTo("2026-01-23T19:00:00.000Z");
      assertThat(DeadLetters.value(record.headers(), "content-type")).isEqualTo("application/json");
      assertSignedAndValid(record.value());
    }
  }

  private static void seedDay(HealthDriver h) {
    // The runs without energy report or trace are the day's last ones, so earlier windows pass.
    for (int i = 0; i < 48; i++) {
      h.run(PIPELINE, "run-" + i, DAY_START.plus(Duration.ofMinutes(30L * i + 1)), i != 47, i < 42);
    }
  }

  static void assertSignedAndValid(byte[] bytes) throws IOException {
    ObjectNode alert = (ObjectNode) MAPPER.readTree(bytes);
    assertThat(PayloadSignatures.verify(alert, HealthDriver.KEYS.getPublic()).isValid()).isTrue();
    assertThat(alert.path("signature").path("key_id").asText()).isEqualTo(HealthDriver.KEY_ID);
    Validator validator = new Validator(HealthDriver.config(HealthConfig.defaults()).validator()
        .withTrustedKeys(TrustedKeys.of(Map.of(HealthDriver.KEY_ID, HealthDriver.KEYS.getPublic()))));
    Verdict verdict = validator.validate(bytes);
    assertThat(verdict.valid()).as(verdict.toString()).isTrue();
    assertThat(verdict.warnings()).isEmpty();
  }

  private static VerdictStatus status(HealthCheck check, String rule) {
    return check.getVerdicts().stream().filter(v -> v.getRuleId().equals(rule)).map(SloVerdict::getStatus)
        .findFirst().orElseThrow();
  }

  private static <T> T last(List<T> list) {
    assertThat(list).isNotEmpty();
    return list.get(list.size() - 1);
  }
}
