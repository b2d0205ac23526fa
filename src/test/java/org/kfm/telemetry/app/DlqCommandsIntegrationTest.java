package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.validation.ValidatorOptions;

/**
 * {@code kfm dlq} against the real broker and service: records dead-lettered for a ts too far
 * ahead, a secret and broken JSON; {@code summary} and {@code show} agree with what was sent; after
 * the service's {@code validator.max-future-skew} is raised, {@code replay} sends exactly the
 * records that now pass back to the raw topic, which reach {@code kfm.telemetry.valid} once, even
 * when the replay runs twice.
 */
class DlqCommandsIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RAW = "kfm.telemetry.raw";
  private static final String VALID = "kfm.telemetry.valid";
  private static final String DLQ = "kfm.telemetry.dlq";
  private static final int AHEAD = 5;

  @TempDir Path dir;

  private ServiceRuntime service;

  @AfterEach
  void stop() {
    if (service != null) {
      service.close(Duration.ofSeconds(20));
    }
  }

  @Test
  @Timeout(240)
  void shouldSummariseShowAndReplayOnceTheRecordsAFixedConfigurationAccepts() throws Exception {
    // Given the service with the default 24 h future skew, and records it dead-letters: five
    // stamped 30 h ahead, one with an AWS key, one that is not JSON; and two valid ones
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    Cli cli = new Cli();
    service = start(AppConfig.defaults());
    Instant ahead = Instant.now().plus(Duration.ofHours(30)).truncatedTo(ChronoUnit.SECONDS);
    List<String> aheadIds = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producer()) {
      for (int i = 0; i < AHEAD; i++) {
        String id = "ahead-" + i;
        aheadIds.add(id);
        send(
            producer, id, event(id, ahead.toString(), "step " + i), "ce_source", "/ci/clock-ahead");
      }
      send(
          producer,
          "secret",
          event("secret", Instant.now().toString(), "key AKIAABCDEFGHIJKLMNOP"));
      producer.send(new ProducerRecord<>(RAW, "broken".getBytes(), "{\"kind\": ".getBytes()));
      send(producer, "ok-1", event("ok-1", Instant.now().toString(), "fine"));
      send(producer, "ok-2", event("ok-2", Instant.now().toString(), "fine"));
      producer.flush();
    }
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of(VALID, DLQ),
            Duration.ofSeconds(90),
            Duration.ofMillis(500))) {
      reader.pollUntil(
          () -> reader.records(DLQ).size() == AHEAD + 2 && reader.records(VALID).size() == 2,
          () -> "dlq " + reader.records(DLQ).size() + ", valid " + reader.records(VALID).size());
    }

    // When the dead letters are summarised by rule and shown for one rule
    cli.clear();
    assertThat(cli.run("dlq", "summary", "--bootstrap-server", KAFKA.bootstrapServers(), "--json"))
        .as("summary: %s", cli.err)
        .isZero();
    JsonNode summary = JSON.readTree(cli.out.toString());
    cli.clear();
    assertThat(
            cli.run(
                "dlq",
                "show",
                "--bootstrap-server",
                KAFKA.bootstrapServers(),
                "--rule",
                "KFM-TS-003",
                "--json"))
        .as("show: %s", cli.err)
        .isZero();
    List<JsonNode> shown = new ArrayList<>();
    for (String line : cli.out.toString().strip().split("\n")) {
      shown.add(JSON.readTree(line));
    }

    // Then both agree with what was sent
    assertThat(summary.get("records").asInt()).isEqualTo(AHEAD + 2);
    Map<String, Integer> byRule = new java.util.TreeMap<>();
    summary.get("groups").forEach(g -> byRule.put(g.get("rule").asText(), g.get("count").asInt()));
    assertThat(byRule).containsEntry("KFM-TS-003", AHEAD).containsEntry("KFM-PARSE-002", 1);
    assertThat(byRule.keySet()).anyMatch(rule -> rule.startsWith("KFM-SECRET-"));
    assertThat(shown).hasSize(AHEAD);
    assertThat(shown)
        .allSatisfy(
            s -> {
              assertThat(s.get("rules").toString()).contains("KFM-TS-003");
              assertThat(s.get("findings").get(0).get("path").asText()).isEqualTo("/ts");
              assertThat(s.get("source").get("topic").asText()).isEqualTo(RAW);
              assertThat(s.get("value").get("ts").asText()).isEqualTo(ahead.toString());
            });
    assertThat(shown.stream().map(s -> s.get("key").asText()).toList())
        .containsExactlyInAnyOrderElementsOf(aheadIds);

    // When the skew is raised to 48 h (the service restarted with it) and the dead letters replayed
    service.close(Duration.ofSeconds(20));
    AppConfig fixed =
        AppConfig.defaults()
            .withValidator(
                new ValidatorOptions(
                    ValidatorOptions.defaults().limits(),
                    ValidatorOptions.defaults().clock(),
                    Duration.ofHours(48),
                    ValidatorOptions.defaults().geoMaxDecimals(),
                    ValidatorOptions.defaults().trustedKeys()));
    service = start(fixed);
    Path config = dir.resolve("kfm.yaml");
    Files.writeString(
        config,
        "kafka:\n  bootstrap.servers: "
            + KAFKA.bootstrapServers()
            + "\nserde:\n  schema.registry.url: mock://dlq-commands"
            + "\nvalidator:\n  max-future-skew: 48h\n",
        StandardCharsets.UTF_8);
    cli.clear();
    int dry = cli.run("dlq", "replay", "--config", config.toString(), "--dry-run");
    String dryOut = cli.out.toString();
    String dryErr = cli.err.toString();
    cli.clear();
    int first = cli.run("dlq", "replay", "--config", config.toString());
    String firstOut = cli.out.toString();
    String firstErr = cli.err.toString();

    // Then the dry run sends nothing; the replay sends the five, and names what it could not send
    assertThat(dry).as(dryErr).isEqualTo(1);
    assertThat(dryOut).contains(AHEAD + " would be replayed");
    assertThat(first).as(firstErr).isEqualTo(1);
    assertThat(firstOut)
        .contains(AHEAD + 2 + " dead letters")
        .contains(AHEAD + " replayed to " + RAW)
        .contains("1 still invalid {KFM-PARSE-002=1}")
        .contains("1 redacted or cut to fit (cannot be replayed)");
    assertThat(firstErr).contains("redacted (a secret was removed), cannot be replayed");

    // ... with the replay's origin in a header, and the five reach the valid topic
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of(RAW, VALID),
            Duration.ofSeconds(90),
            Duration.ofMillis(500))) {
      reader.pollUntil(
          () -> reader.records(VALID).size() == 2 + AHEAD,
          () -> "valid " + reader.records(VALID).size());
      List<ConsumerRecord<byte[], byte[]>> replayed =
          reader.records(RAW).stream()
              .filter(r -> r.headers().lastHeader(DlqReplayCommand.REPLAY_OF) != null)
              .toList();
      assertThat(replayed).hasSize(AHEAD);
      assertThat(replayed)
          .allSatisfy(
              r -> {
                assertThat(
                        new String(
                            r.headers().lastHeader(DlqReplayCommand.REPLAY_OF).value(),
                            StandardCharsets.UTF_8))
                    .startsWith(DLQ + "/");
                assertThat(new String(r.headers().lastHeader("ce_source").value()))
                    .isEqualTo("/ci/clock-ahead");
              });
    }

    // When the same replay runs again, only for that rule
    cli.clear();
    int second = cli.run("dlq", "replay", "--config", config.toString(), "--rule", "KFM-TS-003");
    assertThat(second).as(cli.err.toString()).isZero();
    assertThat(cli.out.toString()).contains(AHEAD + " replayed");

    // Then the service drops the copies as duplicates: the valid topic still has them once
    org.awaitility.Awaitility.await("the second replay's copies dropped as duplicates")
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> service.meters().counter("kfm.records", "outcome", "duplicate").count() >= AHEAD);
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of(VALID),
            Duration.ofSeconds(30),
            Duration.ofMillis(500))) {
      reader.drainToEnd(() -> "valid " + reader.records(VALID).size());
      assertThat(reader.records(VALID)).hasSize(2 + AHEAD);
    }
  }

  private ServiceRuntime start(AppConfig app) throws Exception {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    kafka.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
    kafka.put("commit.interval.ms", "100");
    return ServiceRuntime.start(
        app,
        kafka,
        Map.of("schema.registry.url", "mock://dlq-commands"),
        "127.0.0.1",
        Ports.unused(),
        "test");
  }

  private static KafkaProducer<byte[], byte[]> producer() {
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    props.putAll(ProduceCommand.PRODUCER_FORCED);
    return new KafkaProducer<>(props);
  }

  private static void send(
      KafkaProducer<byte[], byte[]> producer, String key, String value, String... headers) {
    ProducerRecord<byte[], byte[]> record =
        new ProducerRecord<>(
            RAW, key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i + 1 < headers.length; i += 2) {
      record.headers().add(headers[i], headers[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    producer.send(record);
  }

  /** A valid pipeline step of run {@code runId} at {@code ts}. */
  static String event(String runId, String ts, String message) {
    return "{\"schema_version\":\"2.0.0\",\"kind\":\"pipeline.step\",\"ts\":\""
        + ts
        + "\",\"level\":\"info\",\"message\":\""
        + message
        + "\",\"run\":{\"run_id\":\""
        + runId
        + "\",\"pipeline\":\"kfm.ingest.dlq.test\",\"step\":\"transform\","
        + "\"commit_sha\":\"bb86bf1\",\"config_hash\":\"sha256:"
        + "0".repeat(63)
        + "1\"},\"privacy\":{\"classification\":\"internal\"}}";
  }
}
