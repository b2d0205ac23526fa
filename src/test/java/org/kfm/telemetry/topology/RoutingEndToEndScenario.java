package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.FakeSchemaRegistry;
import org.kfm.telemetry.validation.ContractCatalogue;
import org.kfm.telemetry.validation.ContractCatalogueTest;
import org.kfm.telemetry.validation.TestKeys;
import org.kfm.telemetry.validation.Validator;

/**
 * The service end to end on a real broker: the nine seed examples and every invalid case of the
 * contract catalogue go to {@code kfm.telemetry.raw}; the topology runs in {@link KafkaStreams}
 * with the service's own Streams settings (exactly-once v2) and Avro serde on an HTTP schema
 * registry; a {@code read_committed} consumer then finds every seed on {@code kfm.telemetry.valid}
 * once, in the Confluent wire format, and every invalid case on {@code kfm.telemetry.dlq} with its
 * rule ids. Subclasses say where the broker is (in-process KRaft, or a container).
 */
abstract class RoutingEndToEndScenario {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String SERVICE_VERSION = "it";

  /**
   * Less than the broker's default {@code message.max.bytes} (1 MiB + 12) with room for key and
   * headers.
   */
  private static final int BROKER_MAX_RECORD_BYTES = 1_000_000;

  @TempDir Path stateDir;

  /** {@code host:port,...} of the broker under test. */
  protected abstract String bootstrapServers();

  /** The schema registry the service and the test use. */
  protected abstract FakeSchemaRegistry registry();

  @Test
  void shouldRouteSeedsToAvroAndInvalidCasesToTheDlqExactlyOnceAndLoseNothing() throws Exception {
    // Given the topics, and the topology running with the catalogue's clock and trusted key
    AppConfig config =
        AppConfig.defaults()
            .withValidator(
                TestKeys.options(Clock.fixed(ContractCatalogueTest.NOW, ZoneOffset.UTC)));
    createTopics(config);
    // A case bigger than the broker's default record limit (parse005's 1 MiB + 1) cannot reach the
    // raw topic at all.
    List<ContractCatalogue.Case> invalid =
        ContractCatalogue.load().stream()
            .filter(c -> !c.errors().isEmpty() && c.value().length < BROKER_MAX_RECORD_BYTES)
            .toList();
    // Keys that name each record (case ids repeat): the DLQ keeps the original key.
    Map<String, ContractCatalogue.Case> invalidByKey = new HashMap<>();
    for (int i = 0; i < invalid.size(); i++) {
      invalidByKey.put(caseKey(i, invalid.get(i)), invalid.get(i));
    }

    try (KafkaStreams streams =
        new KafkaStreams(
            TelemetryTopology.build(
                config.withoutHealth(),
                TelemetrySerdes.of(Map.of("schema.registry.url", registry().url())),
                new SimpleMeterRegistry(),
                SERVICE_VERSION),
            streamsProperties(config))) {
      streams.start();

      // When the seeds and the invalid cases are produced to the raw topic
      Map<String, RecordMetadata> landed = produce(config.topics().raw(), invalid);

      // Then, read committed, every record comes out once: seeds on the valid topic, cases on the
      // DLQ
      String validTopic = config.topics().valid();
      String dlqTopic = config.topics().dlq();
      List<ConsumerRecord<byte[], byte[]>> valid;
      List<ConsumerRecord<byte[], byte[]>> dlq;
      try (CommittedReader out =
          CommittedReader.fromBeginning(
              bootstrapServers(),
              List.of(validTopic, dlqTopic),
              DEADLINE,
              Duration.ofMillis(200))) {
        Supplier<String> progress =
            () ->
                "deadline (valid %d, dlq %d so far)"
                    .formatted(out.records(validTopic).size(), out.records(dlqTopic).size());
        out.pollUntil(
            () ->
                out.records(validTopic).size() >= ContractCatalogue.seedNames().size()
                    && out.records(dlqTopic).size() >= invalid.size(),
            progress);
        streams.close(Duration.ofSeconds(30));
        out.drainToEnd(progress);
        valid = out.records(validTopic);
        dlq = out.records(dlqTopic);
      }
      assertThat(streams.state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
      assertValid(valid);
      assertDeadLetters(dlq, invalidByKey, landed, new Validator(config.validator()));
      assertThat(valid.size() + dlq.size())
          .as("valid + dlq == inputs")
          .isEqualTo(ContractCatalogue.seedNames().size() + invalid.size());
    }
  }

  private void assertValid(List<ConsumerRecord<byte[], byte[]>> valid) throws Exception {
    List<String> expected = new ArrayList<>();
    for (String seed : ContractCatalogue.seedNames()) {
      expected.add(canonical(MAPPER.readTree(ContractCatalogue.seed(seed))));
    }
    List<String> decoded = new ArrayList<>();
    // A fresh deserializer: it knows no schema but what it fetches over HTTP from the registry.
    try (Deserializer<TelemetryEvent> deserializer =
        CommittedReader.avroValues(TelemetryEvent.class, registry().url())) {
      for (ConsumerRecord<byte[], byte[]> r : valid) {
        byte[] value = r.value();
        assertThat(value[0]).as("Confluent magic byte").isZero();
        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
        assertThat(registry().schema(schemaId))
            .as("schema %d in the registry", schemaId)
            .isPresent();
        com.fasterxml.jackson.databind.node.ObjectNode payload =
            TelemetryEvents.toPayload(deserializer.deserialize(r.topic(), r.headers(), value));
        decoded.add(canonical(payload));
        String runId = payload.path("run").path("run_id").textValue();
        assertThat(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
            .as("key is the join key")
            .isEqualTo(
                runId != null
                    ? runId
                    : payload.path("correlation").path("correlation_id").textValue());
        assertThat(registry().requests())
            .as("schema %d fetched over HTTP", schemaId)
            .anyMatch(q -> q.method().equals("GET") && q.path().equals("/schemas/ids/" + schemaId));
      }
    }
    assertThat(decoded)
        .as("each seed once, losslessly")
        .containsExactlyInAnyOrderElementsOf(expected);
  }

  private static void assertDeadLetters(
      List<ConsumerRecord<byte[], byte[]>> dlq,
      Map<String, ContractCatalogue.Case> invalidByKey,
      Map<String, RecordMetadata> landed,
      Validator secretCheck) {
    TreeSet<String> seen = new TreeSet<>();
    for (ConsumerRecord<byte[], byte[]> dead : dlq) {
      String key = new String(dead.key(), StandardCharsets.UTF_8);
      ContractCatalogue.Case c = invalidByKey.get(key);
      assertThat(c).as("dead letter %s is an invalid case", key).isNotNull();
      assertThat(seen.add(key)).as("%s dead-lettered once", key).isTrue();
      RecordMetadata source = landed.get(key);
      assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.TOPIC))
          .isEqualTo(source.topic());
      assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.PARTITION))
          .as("source partition of %s", key)
          .isEqualTo(String.valueOf(source.partition()));
      assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.OFFSET))
          .as("source offset of %s", key)
          .isEqualTo(String.valueOf(source.offset()));
      c.headers()
          .forEach(
              (name, value) ->
                  assertThat(DeadLetters.value(dead.headers(), name))
                      .as("producer header %s of %s", name, key)
                      .isEqualTo(new String(value, StandardCharsets.UTF_8)));
      assertThat(
              new TreeSet<>(
                  Arrays.asList(
                      DeadLetters.value(dead.headers(), DeadLetterHeaders.RULES).split(","))))
          .as("rules of %s", c.id())
          .isEqualTo(new TreeSet<>(c.errors()));
      if (Boolean.parseBoolean(DeadLetters.value(dead.headers(), DeadLetterHeaders.REDACTED))) {
        assertThat(secretCheck.validate(dead.value(), c.headers()).secretFound())
            .as("secret left in %s", c.id())
            .isFalse();
      } else {
        assertThat(dead.value()).as("bytes of %s", c.id()).isEqualTo(c.value());
      }
    }
    assertThat(seen.size()).as("every invalid case dead-lettered").isEqualTo(invalidByKey.size());
  }

  private void createTopics(AppConfig config) throws Exception {
    // The seeds' timestamps are months old: keep every record however old it is.
    Map<String, String> keepAll = Map.of("retention.ms", "-1");
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(config.topics().raw(), 2, (short) 1).configs(keepAll),
                  new NewTopic(config.topics().valid(), 1, (short) 1).configs(keepAll),
                  new NewTopic(config.topics().dlq(), 1, (short) 1).configs(keepAll)))
          .all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private Properties streamsProperties(AppConfig config) {
    Properties props = StreamsProperties.of(config, SERVICE_VERSION);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    return props;
  }

  /** Sends the seeds and the cases; answers where each landed, by key. */
  private Map<String, RecordMetadata> produce(String topic, List<ContractCatalogue.Case> invalid)
      throws Exception {
    Map<String, Object> configs =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
      Map<String, Future<RecordMetadata>> sent = new HashMap<>();
      for (String seed : ContractCatalogue.seedNames()) {
        sent.put(
            "seed:" + seed,
            producer.send(
                new ProducerRecord<>(topic, bytes("seed:" + seed), ContractCatalogue.seed(seed))));
      }
      for (int i = 0; i < invalid.size(); i++) {
        ContractCatalogue.Case c = invalid.get(i);
        RecordHeaders headers = new RecordHeaders();
        c.headers().forEach(headers::add);
        sent.put(
            caseKey(i, c),
            producer.send(
                new ProducerRecord<>(topic, null, bytes(caseKey(i, c)), c.value(), headers)));
      }
      producer.flush();
      Map<String, RecordMetadata> landed = new HashMap<>();
      for (Map.Entry<String, Future<RecordMetadata>> f : sent.entrySet()) {
        landed.put(f.getKey(), f.getValue().get(30, TimeUnit.SECONDS));
      }
      return landed;
    }
  }

  private static String canonical(com.fasterxml.jackson.databind.JsonNode payload) {
    return new String(Canonical.bytes(payload), StandardCharsets.UTF_8);
  }

  private static String caseKey(int index, ContractCatalogue.Case c) {
    return "case:" + index + ":" + c.id();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
