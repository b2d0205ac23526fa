package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.header.Headers;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.contract.Canonical;
import org.kfm.telemetry.contract.TelemetryEvents;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import org.kfm.telemetry.routing.DeadLetters;

/** The topology as a story: raw records in, valid Avro events and dead letters out. */
class TelemetryTopologyTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Instant T0 = Instant.parse("2026-01-23T18:00:00Z");

  @TempDir Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> raw;
  private TestOutputTopic<String, TelemetryEvent> valid;
  private TestOutputTopic<byte[], byte[]> dlq;
  private SimpleMeterRegistry meters;

  @BeforeEach
  void start() {
    AppConfig config = AppConfig.defaults();
    TelemetrySerdes serdes = TestSerdes.of("topology-" + System.nanoTime());
    Serde<TelemetryEvent> events = serdes.events();
    meters = new SimpleMeterRegistry();
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    driver =
        new TopologyTestDriver(
            TelemetryTopology.build(config.withoutHealth(), serdes, meters, "test"), props, T0);
    raw =
        driver.createInputTopic(
            config.topics().raw(),
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            T0,
            java.time.Duration.ofSeconds(1));
    valid =
        driver.createOutputTopic(
            config.topics().valid(), new StringDeserializer(), events.deserializer());
    dlq =
        driver.createOutputTopic(
            config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "focus-query",
        "pipeline-run-completed",
        "pipeline-run-started",
        "pipeline-step",
        "policy-decision",
        "stream-checkpoint",
        "template-copy-me",
        "ui-action",
        "wpe-alert"
      })
  void shouldWriteEverySeedExampleAsAvroThatDecodesToItsCanonicalPayload(String name)
      throws IOException {
    // Given a seed example as a producer sends it
    byte[] bytes = seed(name);

    // When it is read from the raw topic
    raw.pipeInput("k".getBytes(StandardCharsets.UTF_8), bytes);

    // Then one event is on the valid topic, keyed by the join key, at the time the raw record
    // reached Kafka, and it decodes (through the serde and registry) back to the same canonical
    // payload
    TestRecord<String, TelemetryEvent> out = valid.readRecord();
    ObjectNode payload = (ObjectNode) MAPPER.readTree(bytes);
    assertThat(
            new String(
                Canonical.bytes(TelemetryEvents.toPayload(out.value())), StandardCharsets.UTF_8))
        .isEqualTo(new String(Canonical.bytes(payload), StandardCharsets.UTF_8));
    String runId = payload.path("run").path("run_id").textValue();
    String expectedKey =
        runId != null ? runId : payload.path("correlation").path("correlation_id").textValue();
    assertThat(out.key()).isEqualTo(expectedKey);
    assertThat(out.getRecordTime()).isEqualTo(T0);
    assertThat(valid.isEmpty()).isTrue();
    assertThat(dlq.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAnInvalidRecordByteForByteWithItsRulesInHeaders() {
    // Given a record whose ts is not a real date
    byte[] bytes =
        seedText("ui-action")
            .replace("2026-01-23T19:05:10.200Z", "2026-02-30T19:05:10.200Z")
            .getBytes(StandardCharsets.UTF_8);
    Headers headers = new RecordHeaders().add("trace", "abc".getBytes(StandardCharsets.UTF_8));

    // When it is read
    raw.pipeInput(new TestRecord<>("key-1".getBytes(StandardCharsets.UTF_8), bytes, headers, T0));

    // Then it is on the DLQ unchanged, with why and where from in headers, and the producer's own
    // headers
    TestRecord<byte[], byte[]> out = dlq.readRecord();
    assertThat(out.value()).isEqualTo(bytes);
    assertThat(out.key()).isEqualTo("key-1".getBytes(StandardCharsets.UTF_8));
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.RULES)).isEqualTo("KFM-TS-002");
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.FINDINGS_JSON))
        .contains("\"path\":\"/ts\"");
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.EXCEPTION))
        .isEqualTo(DeadLetterHeaders.CONTRACT_VIOLATION);
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.TOPIC))
        .isEqualTo("kfm.telemetry.raw");
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.PARTITION)).isEqualTo("0");
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("0");
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.REDACTED)).isEqualTo("false");
    assertThat(DeadLetters.value(out.headers(), "trace")).isEqualTo("abc");
    assertThat(valid.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterASecretRedactedWithNoTraceOfItInAnyOutput() {
    String secret = "AKIAIOSFODNN7EXAMPLE";
    byte[] bytes =
        seedText("pipeline-step")
            .replace("Ingestion gate passed", "upload with key " + secret)
            .getBytes(StandardCharsets.UTF_8);

    raw.pipeInput(bytes);

    TestRecord<byte[], byte[]> out = dlq.readRecord();
    assertThat(new String(out.value(), StandardCharsets.UTF_8))
        .doesNotContain(secret)
        .contains("[REDACTED:sha256:");
    out.headers()
        .forEach(
            h -> assertThat(new String(h.value(), StandardCharsets.UTF_8)).doesNotContain(secret));
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.REDACTED)).isEqualTo("true");
    assertThat(DeadLetters.value(out.headers(), DeadLetterHeaders.RULES))
        .isEqualTo("KFM-SECRET-001");
    assertThat(valid.isEmpty()).isTrue();
  }

  @Test
  void shouldDropDuplicatesByEventIdAndByPayloadDigestAndCountThem() {
    byte[] bare = seed("pipeline-run-completed");
    byte[] structured = cloudEvent("evt-1", seedText("ui-action"));
    byte[] sameIdOtherBytes =
        cloudEvent("evt-1", seedText("ui-action").replace("Layer toggled", "Layer toggled again"));

    raw.pipeInput(bare);
    raw.pipeInput(bare);
    raw.pipeInput(structured);
    raw.pipeInput(sameIdOtherBytes);

    assertThat(valid.readRecordsToList()).hasSize(2);
    assertThat(counter("kfm.records", "outcome", "duplicate")).isEqualTo(2.0);
    assertThat(counter("kfm.records", "outcome", "valid")).isEqualTo(2.0);
  }

  @Test
  void shouldForgetEventIdsAfterTheRetention() {
    byte[] bare = seed("pipeline-run-completed");

    raw.pipeInput(null, bare, T0);
    driver.advanceWallClockTime(java.time.Duration.ofHours(25));
    raw.pipeInput(null, bare, T0.plus(java.time.Duration.ofHours(25)));

    assertThat(valid.readRecordsToList()).hasSize(2);
  }

  @Test
  void shouldDropCopiesStampedDaysApartThatArriveTogether() {
    // Given an event whose copies arrive minutes apart but are stamped 3 days apart, the older
    // first (a producer that replays its buffer with the original timestamps, next to the live
    // copy)
    byte[] event = seed("pipeline-run-completed");

    raw.pipeInput(null, event, T0.minus(java.time.Duration.ofDays(3)));
    driver.advanceWallClockTime(java.time.Duration.ofMinutes(2));
    raw.pipeInput(null, event, T0);
    driver.advanceWallClockTime(java.time.Duration.ofMinutes(2));
    raw.pipeInput(null, event, T0.minus(java.time.Duration.ofDays(3)));

    // Then the first is the event, the others are duplicates
    List<TestRecord<String, TelemetryEvent>> out = valid.readRecordsToList();
    assertThat(out).hasSize(1);
    assertThat(out.get(0).getRecordTime()).isEqualTo(T0.minus(java.time.Duration.ofDays(3)));
    assertThat(counter("kfm.records", "outcome", "duplicate")).isEqualTo(2.0);
  }

  @Test
  void shouldReadCloudEventsBinaryModeFromHeaders() {
    Headers headers =
        new RecordHeaders()
            .add("ce_specversion", bytes("1.0"))
            .add("ce_id", bytes("evt-9"))
            .add("ce_source", bytes("/kfm/ui"))
            .add("ce_type", bytes("org.kfm.telemetry.ui.action"))
            .add("content-type", bytes("application/json"));

    raw.pipeInput(new TestRecord<>(null, seed("ui-action"), headers, T0));

    TelemetryEvent event = valid.readValue();
    assertThat(event.getEnvelope().getId()).isEqualTo("evt-9");
    assertThat(event.getEnvelope().getSource()).isEqualTo("/kfm/ui");
  }

  @Test
  void shouldBalanceInputAgainstValidDlqAndDuplicates() {
    List<byte[]> inputs =
        List.of(
            seed("focus-query"),
            seed("focus-query"),
            bytes("{oops"),
            seed("ui-action"),
            bytes("[]"),
            seed("wpe-alert"),
            bytes(""));

    inputs.forEach(raw::pipeInput);

    int valids = valid.readRecordsToList().size();
    int dead = dlq.readRecordsToList().size();
    double duplicates = counter("kfm.records", "outcome", "duplicate");
    assertThat(valids + dead + (int) duplicates).isEqualTo(inputs.size());
    assertThat(dead).isEqualTo(3);
    assertThat(counter("kfm.dlq.rules", "rule", "KFM-PARSE-002")).isEqualTo(2.0);
  }

  @Test
  void shouldDeadLetterARecordThatMakesTheProcessorThrowAndGoOn() {
    // Given a topology whose validator fails on its first record (its clock breaks once)
    driver.close();
    java.time.Clock flaky =
        new java.time.Clock() {
          private int calls;

          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            if (calls++ == 0) {
              throw new IllegalStateException("clock broke");
            }
            return T0;
          }
        };
    AppConfig config =
        AppConfig.defaults().withValidator(AppConfig.defaults().validator().withClock(flaky));
    TelemetrySerdes serdes = TestSerdes.of("flaky-" + System.nanoTime());
    Serde<TelemetryEvent> events = serdes.events();
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("flaky").toString());
    driver =
        new TopologyTestDriver(
            TelemetryTopology.build(config.withoutHealth(), serdes, meters, "test"), props, T0);
    raw =
        driver.createInputTopic(
            config.topics().raw(), new ByteArraySerializer(), new ByteArraySerializer());
    valid =
        driver.createOutputTopic(
            config.topics().valid(), new StringDeserializer(), events.deserializer());
    dlq =
        driver.createOutputTopic(
            config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());

    // When two good records arrive
    raw.pipeInput(seed("ui-action"));
    raw.pipeInput(seed("focus-query"));

    // Then the first is dead-lettered with the exception, byte for byte, and the second flows
    TestRecord<byte[], byte[]> dead = dlq.readRecord();
    assertThat(dead.value()).isEqualTo(seed("ui-action"));
    assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.EXCEPTION))
        .isEqualTo("java.lang.IllegalStateException");
    assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.MESSAGE))
        .isEqualTo("clock broke");
    assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.STACKTRACE))
        .contains("ValidateProcessor");
    assertThat(DeadLetters.value(dead.headers(), DeadLetterHeaders.OFFSET)).isEqualTo("0");
    assertThat(valid.readValue().getKind()).isEqualTo("focus.query");
  }

  @Test
  void shouldKeepTopologyNamesStable() {
    String description =
        TelemetryTopology.build(
                AppConfig.defaults().withoutHealth(),
                TestSerdes.of("describe"),
                new SimpleMeterRegistry(),
                "test")
            .describe()
            .toString();

    assertThat(description)
        .contains("Source: raw-source (topics: [kfm.telemetry.raw])")
        .contains("Processor: validate-route (stores: [])")
        .contains("Sink: dedup-by-key-repartition-sink (topic: dedup-by-key-repartition)")
        .contains("Source: dedup-by-key-repartition-source (topics: [dedup-by-key-repartition])")
        .contains("Processor: dedup (stores: [dedup-store])")
        .contains("Sink: valid-sink (topic: kfm.telemetry.valid)")
        .contains("Sink: dlq-sink (topic: kfm.telemetry.dlq)");
  }

  private double counter(String name, String tag, String value) {
    var counter = meters.find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private static byte[] cloudEvent(String id, String payload) {
    return ("{\"specversion\":\"1.0\",\"id\":\""
            + id
            + "\",\"source\":\"/kfm/test\",\"type\":\"org.kfm.telemetry\","
            + "\"data\":"
            + payload
            + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] seed(String name) {
    try (InputStream in =
        TelemetryTopologyTest.class.getResourceAsStream("/seed-examples/" + name + ".json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String seedText(String name) {
    return new String(seed(name), StandardCharsets.UTF_8);
  }
}
