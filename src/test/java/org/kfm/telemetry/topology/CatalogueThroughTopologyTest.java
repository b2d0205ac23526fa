package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.routing.RecordLimit;
import org.kfm.telemetry.validation.ContractCatalogue;
import org.kfm.telemetry.validation.ContractCatalogueTest;
import org.kfm.telemetry.validation.TestKeys;
import org.kfm.telemetry.validation.TextScanner;
import org.kfm.telemetry.validation.Validator;

/** Every case of the contract catalogue, through the whole topology. */
class CatalogueThroughTopologyTest {

  @TempDir Path stateDir;

  @Test
  void shouldRouteEveryCatalogueCaseByItsVerdictAndLoseNothing() {
    // Given the topology with the catalogue's clock and trusted key
    AppConfig config =
        AppConfig.defaults()
            .withValidator(
                TestKeys.options(Clock.fixed(ContractCatalogueTest.NOW, ZoneOffset.UTC)));
    TelemetrySerdes serdes = TestSerdes.of("catalogue-" + System.nanoTime());
    Serde<TelemetryEvent> events = serdes.events();
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    List<ContractCatalogue.Case> cases = ContractCatalogue.load();
    Validator secretCheck = new Validator(config.validator());

    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            TelemetryTopology.build(config.withoutHealth(), serdes, meters, "test"), props)) {
      TestInputTopic<byte[], byte[]> raw =
          driver.createInputTopic(
              config.topics().raw(), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<String, TelemetryEvent> valid =
          driver.createOutputTopic(
              config.topics().valid(), new StringDeserializer(), events.deserializer());
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      int accepted = 0;
      int duplicates = 0;
      for (ContractCatalogue.Case c : cases) {
        // When each case is produced to the raw topic
        RecordHeaders headers = new RecordHeaders();
        c.headers().forEach(headers::add);
        raw.pipeInput(new TestRecord<>(null, c.value(), headers, (java.time.Instant) null));

        // Then an invalid case is on the DLQ with exactly its rule ids, byte-identical or redacted
        if (!c.errors().isEmpty()) {
          assertThat(dlq.isEmpty()).as("dead letter for %s", c.id()).isFalse();
          TestRecord<byte[], byte[]> dead = dlq.readRecord();
          assertThat(
                  new TreeSet<>(
                      Arrays.asList(
                          DeadLetters.value(dead.headers(), DeadLetterHeaders.RULES).split(","))))
              .as("rules of %s", c.id())
              .isEqualTo(new TreeSet<>(c.errors()));
          boolean redacted =
              Boolean.parseBoolean(DeadLetters.value(dead.headers(), DeadLetterHeaders.REDACTED));
          if (redacted) {
            assertThat(secretCheck.validate(dead.value(), c.headers()).secretFound())
                .as("secret left in %s", c.id())
                .isFalse();
          } else if (DeadLetters.truncated(dead.headers())) {
            // (a dead letter larger than the producer sends is cut, saying so: RecordLimit)
            assertThat(c.value()).as("bytes of %s", c.id()).startsWith(dead.value());
            assertThat(c.value().length).as("size of %s", c.id()).isGreaterThan(1 << 20);
          } else {
            assertThat(dead.value()).as("bytes of %s", c.id()).isEqualTo(c.value());
          }
          for (Header h : dead.headers()) {
            if (h.key().startsWith("kfm.") || h.key().startsWith("__streams.")) {
              assertThat(TextScanner.scanUnparsed(new String(h.value(), StandardCharsets.UTF_8)))
                  .as("secret in header %s of %s", h.key(), c.id())
                  .noneMatch(hit -> hit.type().isSecret());
            }
          }
          assertThat(valid.isEmpty()).as("no valid output for %s", c.id()).isTrue();
        } else if (c.value().length > RecordLimit.KAFKA_MAX_MESSAGE_BYTES - 2_048) {
          // a valid payload at the validator's limit (1 MiB) whose event does not fit in one
          // record of Kafka's default max.message.bytes is dead-lettered, saying so (RecordLimit)
          TestRecord<byte[], byte[]> dead = dlq.readRecord();
          assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.RULES))
              .as("rules of %s", c.id())
              .isEqualTo("KFM-PARSE-005");
          assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.MESSAGE))
              .contains("the payload is valid, but its event");
          assertThat(c.value()).as("bytes of %s", c.id()).startsWith(dead.value());
          assertThat(valid.isEmpty()).as("no valid output for %s", c.id()).isTrue();
        } else {
          // and a valid one is on the valid topic (or dropped as a duplicate of an earlier case)
          assertThat(dlq.isEmpty()).as("no dead letter for %s", c.id()).isTrue();
          if (valid.isEmpty()) {
            duplicates++;
          } else {
            valid.readRecord();
            accepted++;
          }
        }
      }
      double counted = meters.find("kfm.records").tag("outcome", "duplicate").counter().count();
      assertThat(counted).isEqualTo(duplicates);
      assertThat(meters.find("kfm.records").tag("outcome", "valid").counter().count())
          .isEqualTo(accepted);
    }
  }
}
