package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.avro.ValidationWarning;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.dev.bench.BenchTraffic;
import org.kfm.telemetry.health.RunEvent;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.routing.EventEncoder;
import org.kfm.telemetry.serde.MockSchemaRegistryClient;
import org.kfm.telemetry.validation.Validator;
import org.kfm.telemetry.validation.ValidatorOptions;
import org.kfm.telemetry.validation.Verdict;

/**
 * The encoder of accepted events writes what the event serde writes of the built event, and the
 * health checks read the facts of the decoded event.
 */
class TelemetrySerdesTest {

  private static final String VALID = "kfm.telemetry.valid";

  @Test
  void shouldEncodeEveryAcceptedEventOfGeneratedTrafficAsTheEventSerdeWritesIt() {
    // Given 2,000 records of kfm bench's traffic (every kind, CloudEvents, warnings), validated
    try (TelemetrySerdes serdes = TestSerdes.of("telemetry-serdes-" + System.nanoTime())) {
      Validator validator = new Validator(ValidatorOptions.defaults());
      EventEncoder encoder = serdes.eventEncoder();
      Serializer<TelemetryEvent> events = serdes.events().serializer();
      Deserializer<TelemetryEvent> decoder = serdes.events().deserializer();
      Deserializer<RunEvent> runEvents = serdes.runEvents().deserializer();
      int accepted = 0;
      for (ProducerRecord<byte[], byte[]> record :
          new BenchTraffic(7, 12, 100, Instant.now(), Duration.ofHours(1)).records("raw", 2_000)) {
        Verdict verdict = validator.validate(record.value(), DeadLetters.toMap(record.headers()));
        if (!verdict.valid()) {
          continue;
        }
        accepted++;
        List<ValidationWarning> warnings =
            verdict.warnings().stream()
                .map(w -> new ValidationWarning(w.rule(), w.path(), w.message()))
                .toList();
        String digest = Canonical.sha256(verdict.payload());

        // When it is encoded, and built then serialized
        byte[] encoded =
            encoder.encode(
                VALID,
                record.headers(),
                verdict.payload(),
                verdict.envelope(),
                "2.0.0",
                warnings,
                digest);
        byte[] serialized =
            events.serialize(
                VALID,
                TelemetryEvents.toEvent(
                    verdict.payload(), verdict.envelope(), "2.0.0", warnings, digest));

        // Then the bytes are the same, and the health checks read the facts of the decoded event
        assertThat(encoded).as("record %d", accepted).isEqualTo(serialized);
        assertThat(runEvents.deserialize(VALID, encoded))
            .as("record %d", accepted)
            .isEqualTo(RunEvent.of(decoder.deserialize(VALID, encoded)));
      }
      assertThat(accepted).isGreaterThan(1_800);
    }
  }

  @Test
  void shouldBuildTheEventWhenTheLatestVersionOfTheSubjectIsAnotherSchema() throws Exception {
    // Given a registry whose latest schema for the valid topic is another (the same fields, one
    // more property), and serdes that write with the latest version
    String scope = "telemetry-serdes-latest-" + System.nanoTime();
    Schema latest =
        new Schema.Parser()
            .parse(
                TelemetryEvent.getClassSchema()
                    .toString()
                    .replaceFirst(
                        "\\{\"type\":\"record\",",
                        "{\"type\":\"record\",\"owner\":\"analytics\","));
    assertThat(latest).isNotEqualTo(TelemetryEvent.getClassSchema());
    int latestId = MockSchemaRegistryClient.forScope(scope).register(VALID + "-value", latest);
    try (TelemetrySerdes serdes =
        TelemetrySerdes.of(
            Map.of(
                "schema.registry.url", "mock://" + scope,
                "auto.register.schemas", false,
                "use.latest.version", true,
                "latest.compatibility.strict", false))) {
      Verdict verdict =
          new Validator(ValidatorOptions.defaults())
              .validate(
                  new BenchTraffic(7, 12, 100, Instant.now(), Duration.ofHours(1))
                      .records("raw", 1)
                      .get(0)
                      .value(),
                  Map.of());
      assertThat(verdict.valid()).isTrue();

      // When it is encoded
      byte[] encoded =
          serdes
              .eventEncoder()
              .encode(
                  VALID,
                  new RecordHeaders(),
                  verdict.payload(),
                  verdict.envelope(),
                  "2.0.0",
                  List.of(),
                  "sha256:0");

      // Then it is the event serde's bytes, with the latest schema's id
      assertThat(encoded)
          .isEqualTo(
              serdes
                  .events()
                  .serializer()
                  .serialize(
                      VALID,
                      TelemetryEvents.toEvent(
                          verdict.payload(), verdict.envelope(), "2.0.0", List.of(), "sha256:0")));
      assertThat(org.kfm.telemetry.serde.ConfluentWireFormat.schemaId(encoded)).isEqualTo(latestId);
      // ... and the health checks read it whole (its writer schema is not the event's own)
      assertThat(serdes.runEvents().deserializer().deserialize(VALID, encoded))
          .isNotNull()
          .isEqualTo(RunEvent.of(serdes.events().deserializer().deserialize(VALID, encoded)));
    } finally {
      MockSchemaRegistryClient.dropScope(scope);
    }
  }
}
