package org.kfm.telemetry.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * The benchmark's traffic is what it claims: mostly valid, some invalid, some duplicates, some
 * CloudEvents.
 */
class BenchTrafficTest {

  private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

  @Test
  void shouldMixValidInvalidDuplicateAndCloudEventRecordsInTheAdvertisedShares() {
    // Given 20,000 records of the seeded traffic
    List<ProducerRecord<byte[], byte[]>> records =
        new BenchTraffic(42, 12, 1000, NOW, java.time.Duration.ofHours(24)).records("raw", 20_000);
    Validator validator =
        new Validator(ValidatorOptions.defaults().withClock(Clock.fixed(NOW, ZoneOffset.UTC)));

    // When each is validated as the service would
    int invalid = 0;
    int cloudEvents = 0;
    int duplicates = 0;
    Set<String> seen = new HashSet<>();
    Set<String> kinds = new HashSet<>();
    for (ProducerRecord<byte[], byte[]> r : records) {
      Map<String, byte[]> headers = new HashMap<>();
      for (Header h : r.headers()) {
        headers.put(h.key(), h.value());
      }
      var verdict = validator.validate(r.value(), headers);
      invalid += verdict.valid() ? 0 : 1;
      if (verdict.valid()) {
        kinds.add(verdict.payload().path("kind").asText());
        cloudEvents += verdict.envelope().id() != null ? 1 : 0;
      }
      duplicates += seen.add(Arrays.toString(r.value()) + r.headers()) ? 0 : 1;
      assertThat(r.partition()).isBetween(0, 11);
    }

    // Then about 5 % are invalid, 1 % duplicates, 15 % CloudEvents, and every kind of the seed is
    // there
    assertThat(records).hasSize(20_000);
    assertThat(invalid).isBetween(700, 1300);
    assertThat(duplicates).isBetween(120, 280);
    assertThat(cloudEvents).isBetween(2300, 3700);
    assertThat(kinds)
        .contains(
            "pipeline.run.started",
            "pipeline.step",
            "pipeline.run.completed",
            "pipeline.run.failed",
            "focus.query",
            "ui.action",
            "policy.decision",
            "stream.checkpoint");
  }

  @Test
  void shouldGiveTheSameRecordsForTheSameSeed() {
    List<ProducerRecord<byte[], byte[]>> a =
        new BenchTraffic(7, 12, 10, NOW, java.time.Duration.ofHours(1)).records("raw", 500);
    List<ProducerRecord<byte[], byte[]>> b =
        new BenchTraffic(7, 12, 10, NOW, java.time.Duration.ofHours(1)).records("raw", 500);

    for (int i = 0; i < a.size(); i++) {
      assertThat(b.get(i).value()).isEqualTo(a.get(i).value());
      assertThat(b.get(i).partition()).isEqualTo(a.get(i).partition());
    }
  }

  @Test
  void shouldHandOutTheSameRecordsOneAtATimeAsInAList() {
    // Given
    List<ProducerRecord<byte[], byte[]>> listed =
        new BenchTraffic(7, 12, 10, NOW, java.time.Duration.ofHours(1)).records("raw", 777);
    List<ProducerRecord<byte[], byte[]>> streamed = new java.util.ArrayList<>();

    // When
    new BenchTraffic(7, 12, 10, NOW, java.time.Duration.ofHours(1))
        .forEach("raw", 777, streamed::add);

    // Then
    assertThat(streamed).hasSize(777);
    for (int i = 0; i < listed.size(); i++) {
      assertThat(streamed.get(i).value()).isEqualTo(listed.get(i).value());
      assertThat(streamed.get(i).partition()).isEqualTo(listed.get(i).partition());
    }
  }
}
