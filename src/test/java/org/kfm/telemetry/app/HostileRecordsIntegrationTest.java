package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.routing.DeadLetterHeaders;
import org.kfm.telemetry.routing.DeadLetters;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;

/**
 * Bad bytes at volume through the real broker: a burst of 10,000 invalid records, records as large
 * as the raw topic takes (valid and invalid), and hostile headers (CloudEvents attributes that are
 * not UTF-8, duplicated, empty or huge). The service keeps running and every record is accounted
 * for exactly once on the valid topic or the dead-letter topic.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileRecordsIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final String RAW = "kfm.telemetry.raw";
  private static final String VALID = "kfm.telemetry.valid";
  private static final String DLQ = "kfm.telemetry.dlq";
  private static final int BURST = 10_000;

  /** Records this large reach the raw topic (its max.message.bytes is 1,048,588). */
  private static final int EDGE_BYTES = 1_048_400;

  @TempDir Path dir;

  private ServiceRuntime service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close(Duration.ofSeconds(20));
    }
  }

  @Test
  @Order(1)
  @Timeout(240)
  void shouldKeepRunningAndAccountForEveryHostileRecord() throws Exception {
    // Given the service on topics as topics.yaml declares them (2 partitions each)
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    startTheService("mock://hostile-records");

    // When hostile records are written
    int valid = 0;
    int sent = 0;
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    props.putAll(ProduceCommand.PRODUCER_FORCED);
    props.put("max.request.size", String.valueOf(1 << 21));
    props.put("linger.ms", "20");
    String unparseable = "{not json " + "z".repeat(EDGE_BYTES - 10);
    String edgeValid = event("edge-valid", "at the limit", atTheLimit());
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      // a burst of invalid records (no join key)
      for (int i = 0; i < BURST; i++) {
        producer.send(record("burst-" + i, event(null, "invalid " + i, "")));
        sent++;
      }
      // as large as the raw topic takes: a valid one and one with a string over the limit
      String filler = "x".repeat(60_000);
      StringBuilder big = new StringBuilder();
      for (int i = 0; i < 16; i++) {
        big.append(",\"f").append(i).append("\":\"").append(filler).append('"');
      }
      producer.send(record("big-valid", event("big-valid", "big", big.toString())));
      sent++;
      valid++;
      String tooLong = ",\"f\":\"" + "y".repeat(1_000_000) + "\"";
      producer.send(record("big-invalid", event("big-invalid", "too long", tooLong)));
      sent++;
      // hostile headers on otherwise valid records
      ProducerRecord<byte[], byte[]> notUtf8 =
          record("h-utf8", event("h-utf8", "ce attributes not UTF-8", ""));
      notUtf8.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
      notUtf8.headers().add("ce_id", new byte[] {(byte) 0xC3, (byte) 0x28});
      notUtf8.headers().add("ce_source", new byte[] {(byte) 0xFF, (byte) 0xFE});
      notUtf8.headers().add("ce_type", "t".getBytes(StandardCharsets.UTF_8));
      producer.send(notUtf8);
      sent++;
      ProducerRecord<byte[], byte[]> twice = record("h-twice", event("h-twice", "ce_id twice", ""));
      twice.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
      twice.headers().add("ce_id", "a".getBytes(StandardCharsets.UTF_8));
      twice.headers().add("ce_id", "b".getBytes(StandardCharsets.UTF_8));
      twice.headers().add("ce_source", "/s".getBytes(StandardCharsets.UTF_8));
      twice.headers().add("ce_type", "t".getBytes(StandardCharsets.UTF_8));
      producer.send(twice);
      sent++;
      ProducerRecord<byte[], byte[]> huge =
          record("h-huge", event("h-huge", "a huge and an empty header", ""));
      huge.headers().add("x-huge", "z".repeat(300_000).getBytes(StandardCharsets.UTF_8));
      huge.headers().add("x-null", null);
      huge.headers().add("", new byte[0]);
      producer.send(huge);
      sent++;
      // at the raw topic's limit (1 MiB): unparseable, and valid but with an event larger than a
      // record may be; neither dead letter fits in one record with its headers
      producer.send(record("edge-invalid", unparseable));
      sent++;
      producer.send(record("edge-valid", edgeValid));
      sent++;
      // and a good one last
      producer.send(record("last", event("last", "the last one", "")));
      sent++;
      valid++;
      producer.flush();
    }

    // Then every record is on the valid topic or the dead-letter topic, once, and the service runs
    int expected = sent;
    int atLeastValid = valid;
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            java.util.List.of(VALID, DLQ),
            Duration.ofSeconds(150),
            Duration.ofMillis(500))) {
      reader.pollUntil(
          () -> reader.records().size() >= expected,
          () ->
              "valid "
                  + reader.records(VALID).size()
                  + ", dlq "
                  + reader.records(DLQ).size()
                  + " of "
                  + expected
                  + "; streams "
                  + service.streams().state());
      reader.drainToEnd(() -> "draining");
      assertThat(reader.records()).hasSize(expected);
      assertThat(reader.records(VALID).size()).isGreaterThanOrEqualTo(atLeastValid);
      assertThat(reader.records(DLQ).size()).isGreaterThanOrEqualTo(BURST + 1);
      // the records at the raw topic's limit were dead-lettered whole (the dead-letter topic takes
      // 2 MiB), the valid one because its event is larger than the valid topic takes
      for (String key : List.of("edge-invalid", "edge-valid")) {
        ConsumerRecord<byte[], byte[]> letter = only(reader.records(DLQ), key);
        assertThat(new String(letter.value(), StandardCharsets.UTF_8))
            .as(key)
            .isEqualTo(key.equals("edge-invalid") ? unparseable : edgeValid);
        assertThat(DeadLetters.truncated(letter.headers())).as(key).isFalse();
      }
      assertThat(
              DeadLetters.value(
                  only(reader.records(DLQ), "edge-valid").headers(), DeadLetterHeaders.RULES))
          .isEqualTo("KFM-PARSE-005");
    }
    assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  @Test
  @Order(2)
  @Timeout(240)
  void shouldCutADeadLetterToWhatTheDeadLetterTopicTakesAndGoOn() throws Exception {
    // Given a dead-letter topic at Kafka's default limit (not as topics.yaml declares it)
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  new ConfigResource(ConfigResource.Type.TOPIC, DLQ),
                  List.of(
                      new AlterConfigOp(
                          new ConfigEntry("max.message.bytes", "1048588"),
                          AlterConfigOp.OpType.SET))))
          .all()
          .get();
    }
    startTheService("mock://hostile-records-cut");

    // When a record at the raw topic's limit that is not JSON is written, then a good one
    String unparseable = "{not json " + "c".repeat(EDGE_BYTES - 10);
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    props.putAll(ProduceCommand.PRODUCER_FORCED);
    props.put("max.request.size", String.valueOf(1 << 21));
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer.send(record("cut-invalid", unparseable));
      producer.send(record("cut-then", event("cut-then", "after the cut one", "")));
    }

    // Then its dead letter keeps the first bytes that fit and says where the whole record is, and
    // the stream goes on
    ConsumerRecord<byte[], byte[]> letter;
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of(VALID, DLQ),
            Duration.ofSeconds(120),
            Duration.ofMillis(500))) {
      reader.pollUntil(
          () ->
              reader.records().stream()
                      .filter(r -> r.key() != null)
                      .map(r -> new String(r.key(), StandardCharsets.UTF_8))
                      .filter(k -> k.startsWith("cut-"))
                      .count()
                  >= 2,
          () -> "cut-invalid and cut-then; streams " + service.streams().state());
      letter = only(reader.records(DLQ), "cut-invalid");
    }
    assertThat(letter.value().length).isLessThan(EDGE_BYTES);
    assertThat(unparseable).startsWith(new String(letter.value(), StandardCharsets.UTF_8));
    assertThat(DeadLetters.value(letter.headers(), DeadLetterHeaders.TRUNCATED))
        .isEqualTo(
            "value cut from "
                + EDGE_BYTES
                + " to its first "
                + letter.value().length
                + " bytes, to fit one record of at most 1048588 bytes (the producer's"
                + " max.request.size, the topic's max.message.bytes); the whole record is "
                + RAW
                + " partition "
                + DeadLetters.value(letter.headers(), DeadLetterHeaders.PARTITION)
                + " offset "
                + DeadLetters.value(letter.headers(), DeadLetterHeaders.OFFSET)
                + ", until that topic's retention");
    // ... which kfm dlq shows as cut, and counts as one it cannot replay
    Cli cli = new Cli();
    String coordinates = letter.partition() + ":" + letter.offset();
    assertThat(
            cli.run(
                "dlq",
                "show",
                "--bootstrap-server",
                KAFKA.bootstrapServers(),
                "--offset",
                coordinates,
                "--limit",
                "1",
                "--json"))
        .as(cli.err.toString())
        .isZero();
    assertThat(
            json(cli.out.toString().lines().findFirst().orElseThrow()).path("truncated").asText())
        .startsWith("value cut from " + EDGE_BYTES);
    cli.clear();
    cli.run(
        "dlq",
        "replay",
        "--bootstrap-server",
        KAFKA.bootstrapServers(),
        "--rule",
        "KFM-PARSE-002",
        "--dry-run");
    assertThat(cli.out.toString()).contains("1 redacted or cut to fit (cannot be replayed)");
    assertThat(cli.err.toString())
        .contains(
            DLQ
                + "/"
                + letter.partition()
                + "/"
                + letter.offset()
                + ": cut to fit, cannot be replayed: value cut from ");
    assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private void startTheService(String registry) throws IOException {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    kafka.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
    kafka.put("commit.interval.ms", "100");
    service =
        ServiceRuntime.start(
            AppConfig.defaults(),
            kafka,
            Map.of("schema.registry.url", registry),
            "127.0.0.1",
            Ports.unused(),
            "test");
  }

  private static ConsumerRecord<byte[], byte[]> only(
      List<ConsumerRecord<byte[], byte[]>> records, String key) {
    List<ConsumerRecord<byte[], byte[]>> found =
        records.stream()
            .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8)))
            .toList();
    assertThat(found).as("records keyed %s", key).hasSize(1);
    return found.get(0);
  }

  private static com.fasterxml.jackson.databind.JsonNode json(String line) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().readTree(line);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Members that make the edge-valid event {@link #EDGE_BYTES} long, none over the limits. */
  private static String atTheLimit() {
    int room = EDGE_BYTES - event("edge-valid", "at the limit", "").length();
    StringBuilder padding = new StringBuilder();
    for (int i = 0; room - padding.length() > 20; i++) {
      int length = Math.min(60_000, room - padding.length() - 20);
      padding.append(",\"p").append(i).append("\":\"").append("w".repeat(length)).append('"');
    }
    return padding.toString();
  }

  private static ProducerRecord<byte[], byte[]> record(String key, String value) {
    return new ProducerRecord<>(
        RAW, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** A pipeline.step event with {@code runId} (none: no join key), a message and extra members. */
  private static String event(String runId, String message, String extra) {
    return "{\"schema_version\":\"2.0.0\",\"kind\":\"pipeline.step\",\"ts\":\""
        + Instant.now()
        + "\",\"level\":\"info\",\"message\":\""
        + message
        + "\""
        + (runId == null
            ? ""
            : ",\"run\":{\"run_id\":\""
                + runId
                + "\",\"pipeline\":\"kfm.ingest.hostile\",\"step\":\"transform\"}")
        + ",\"privacy\":{\"classification\":\"internal\"}"
        + extra
        + "}";
  }
}
