package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.kfm.telemetry.testing.RunEvents.event;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.avro.TelemetryEvent;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;

/**
 * The service as real producers meet it, on a real broker (12 raw partitions, exactly-once): a
 * duplicate written to another partition, duplicates stamped days in the past, an event older than
 * the valid topic's retention, a producer whose clock runs 20 h ahead, and a replay hours late. One
 * service instance runs for the whole class; each test uses its own pipelines and run ids.
 */
class RealProducersIntegrationTest {

  /**
   * The broker checks retention every second, so that a record it would delete is gone within the
   * test.
   */
  @RegisterExtension
  static final InProcessKafka KAFKA =
      new InProcessKafka(Map.of("log.retention.check.interval.ms", "1000"));

  private static final Duration DEADLINE = Duration.ofSeconds(90);
  private static final String REGISTRY = "mock://real-producers";
  private static final String RAW = "kfm.telemetry.raw";
  private static final String VALID = "kfm.telemetry.valid";
  private static final String HEALTH = "kfm.telemetry.health";
  private static final String DEDUP_CHANGELOG = "kfm-telemetry-streams-dedup-store-changelog";

  private static Path dir;
  private static ServiceRuntime service;
  private static KafkaProducer<byte[], byte[]> producer;

  @BeforeAll
  static void startTheService() throws IOException {
    dir = Files.createTempDirectory("real-producers");
    Cli cli = new Cli();
    assertThat(
            cli.run(
                "topics",
                "apply",
                "--bootstrap-server",
                KAFKA.bootstrapServers(),
                "--replication-factor",
                "1"))
        .as("topics apply: %s", cli.err)
        .isZero();
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    kafka.put("state.dir", dir.resolve("state").toString());
    kafka.put("commit.interval.ms", "100");
    service =
        ServiceRuntime.start(
            AppConfig.defaults(),
            kafka,
            Map.of("schema.registry.url", REGISTRY),
            "127.0.0.1",
            Ports.unused(),
            "test");
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    props.putAll(ProduceCommand.PRODUCER_FORCED);
    producer = new KafkaProducer<>(props);
  }

  @AfterAll
  static void stopTheService() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    if (service != null) {
      service.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void shouldDropADuplicateThatArrivesOnAnotherPartition() throws Exception {
    // Given one CloudEvent and one bare payload, each written twice to two different raw partitions
    Instant ts = Instant.now().minus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.SECONDS);
    String cloudEvent =
        cloudEvent(
            "evt-dup-1",
            "/kfm/test/dup",
            event("pipeline.run.completed", "dup.ce", "dup-run-ce", ts, true, true));
    String bare = event("pipeline.run.completed", "dup.bare", "dup-run-bare", ts, true, true);
    double duplicatesBefore = counter("kfm.records", "outcome", "duplicate");

    // When they are produced: the CloudEvent to partitions 0 and 5, the payload to 1 and 7, keyed
    // differently
    send(RAW, 0, "producer-a", cloudEvent);
    send(RAW, 5, "producer-b-retry", cloudEvent);
    send(RAW, 1, null, bare);
    send(RAW, 7, "another-key", bare);

    // Then each reaches the valid topic once, and the other copy is counted as a duplicate
    await("two duplicates counted")
        .atMost(DEADLINE)
        .until(() -> counter("kfm.records", "outcome", "duplicate") - duplicatesBefore >= 2);
    List<ConsumerRecord<byte[], byte[]>> valid =
        readUntil(
            VALID, records -> keys(records).containsAll(List.of("dup-run-ce", "dup-run-bare")));
    assertThat(keys(valid))
        .filteredOn(k -> k.startsWith("dup-run-"))
        .containsExactlyInAnyOrder("dup-run-ce", "dup-run-bare");
    assertThat(counter("kfm.records", "outcome", "duplicate") - duplicatesBefore).isEqualTo(2);
  }

  @Test
  void shouldDropCopiesStampedDaysApartThatArriveTogether() throws Exception {
    // Given an event replayed twice by a producer that keeps its buffer's original record
    // timestamps, 3 days old, to two partitions, and its live copy on a third
    Instant ts = Instant.now().minus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
    String cloudEvent =
        cloudEvent(
            "evt-replayed-1",
            "/kfm/test/replay",
            event("pipeline.run.completed", "replay.ce", "replayed-run", ts, true, true));
    double duplicatesBefore = counter("kfm.records", "outcome", "duplicate");
    long sentAfter = System.currentTimeMillis();

    // When they are produced
    send(RAW, 8, ts.toEpochMilli(), cloudEvent);
    send(RAW, 11, ts.toEpochMilli(), cloudEvent);
    send(RAW, 4, null, cloudEvent);

    // Then the event reaches the valid topic once, and the two other copies are duplicates
    await("two duplicates counted")
        .atMost(DEADLINE)
        .until(() -> counter("kfm.records", "outcome", "duplicate") - duplicatesBefore >= 2);
    List<ConsumerRecord<byte[], byte[]>> valid =
        readUntil(VALID, records -> keys(records).contains("replayed-run"));
    assertThat(keys(valid)).filteredOn("replayed-run"::equals).hasSize(1);
    assertThat(counter("kfm.records", "outcome", "duplicate") - duplicatesBefore).isEqualTo(2);

    // ... and the key's changelog record is stamped when it was written, not 3 days ago, so the
    // changelog's retention (dedup.retention + 1 day) keeps it as long as the store does
    List<ConsumerRecord<byte[], byte[]>> remembered =
        readUntil(DEDUP_CHANGELOG, records -> !rememberedKeys(records, "evt-replayed-1").isEmpty());
    assertThat(rememberedKeys(remembered, "evt-replayed-1"))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
              assertThat(r.timestamp()).isGreaterThanOrEqualTo(sentAfter);
            });
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      ConfigResource changelog = new ConfigResource(ConfigResource.Type.TOPIC, DEDUP_CHANGELOG);
      assertThat(
              admin
                  .describeConfigs(List.of(changelog))
                  .all()
                  .get(30, TimeUnit.SECONDS)
                  .get(changelog)
                  .get("message.timestamp.type")
                  .value())
          .isEqualTo("LogAppendTime");
    }
  }

  /** The de-duplication store's changelog records whose key holds {@code eventId}. */
  private static List<ConsumerRecord<byte[], byte[]>> rememberedKeys(
      List<ConsumerRecord<byte[], byte[]>> records, String eventId) {
    return records.stream()
        .filter(r -> new String(r.key(), StandardCharsets.UTF_8).contains(eventId))
        .toList();
  }

  @Test
  void shouldKeepAnEventOlderThanTheValidTopicsRetentionOnTheValidTopic() throws Exception {
    // Given a backfill: a valid event stamped 40 days ago (kfm.telemetry.valid keeps 30 days)
    Instant ts = Instant.now().minus(Duration.ofDays(40)).truncatedTo(ChronoUnit.SECONDS);
    RecordMetadata sent =
        send(
            RAW,
            2,
            "old-run",
            event("pipeline.run.completed", "backfill", "old-run", ts, true, true));
    // ... and, as a control, a record stamped 40 days ago on a topic with the valid topic's
    // retention
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic("retention-control", 1, (short) 1)
                      .configs(
                          Map.of("retention.ms", String.valueOf(Duration.ofDays(30).toMillis())))))
          .all()
          .get(30, TimeUnit.SECONDS);
      producer
          .send(
              new ProducerRecord<>(
                  "retention-control",
                  null,
                  ts.toEpochMilli(),
                  null,
                  "old".getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);

      // When it has been routed, and the broker's retention check has deleted the control record
      ConsumerRecord<byte[], byte[]> routed =
          readUntil(VALID, records -> keys(records).contains("old-run")).stream()
              .filter(r -> "old-run".equals(key(r)))
              .findFirst()
              .orElseThrow();
      await("the control record deleted by retention")
          .atMost(DEADLINE)
          .until(
              () ->
                  admin
                          .listOffsets(
                              Map.of(
                                  new TopicPartition("retention-control", 0),
                                  OffsetSpec.earliest()))
                          .all()
                          .get(5, TimeUnit.SECONDS)
                          .values()
                          .iterator()
                          .next()
                          .offset()
                      > 0);

      // Then the event is still there, stamped with the time its raw record reached Kafka, its ts
      // in the value
      assertThat(routed.timestamp()).isEqualTo(sent.timestamp());
      assertThat(keys(readUntil(VALID, records -> keys(records).contains("old-run"))))
          .contains("old-run");
      try (Deserializer<TelemetryEvent> events =
          CommittedReader.avroValues(TelemetryEvent.class, REGISTRY)) {
        assertThat(events.deserialize(VALID, routed.value()).getEventTime()).isEqualTo(ts);
      }
    }
  }

  @Test
  void shouldCountEveryRunOfAPipelineWhenAnotherProducersClockRunsAhead() throws Exception {
    // Given twelve runs of a pipeline whose clock is 20 h ahead, between two batches of twenty runs
    // of another stamped two to three hours ago, and then the other pipeline's run of now
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Instant threeHoursAgo = now.minus(Duration.ofHours(3));
    for (int i = 0; i < 20; i++) {
      sendRun("skew.victim", "victim-" + i, threeHoursAgo.plus(Duration.ofMinutes(i)), true, true);
    }
    for (int i = 0; i < 12; i++) {
      sendRun(
          "skew.ahead",
          "ahead-" + i,
          now.plus(Duration.ofHours(20)).plus(Duration.ofMinutes(i)),
          true,
          true);
    }
    for (int i = 20; i < 40; i++) {
      sendRun("skew.victim", "victim-" + i, threeHoursAgo.plus(Duration.ofMinutes(i)), true, true);
    }
    sendRun("skew.victim", "victim-now", now, true, true);

    // When the victim's latest window is evaluated (at least the one ending an hour ago; revised if
    // some runs came after its first evaluation; the run of now is after the end of any window
    // evaluated now)
    Instant expectedEnd = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
    Predicate<HealthCheck> victimWindow =
        c -> c.getScope().equals("skew.victim") && !c.getWindowEnd().isBefore(expectedEnd);
    List<HealthCheck> checks =
        healthChecksUntil(
            all -> all.stream().anyMatch(c -> victimWindow.test(c) && c.getRunsChecked() == 40));

    // Then it counts all forty runs, and no health check of any scope is for a window ending in the
    // future
    assertThat(checks.stream().filter(victimWindow))
        .allSatisfy(c -> assertThat(c.getRunsChecked()).isLessThanOrEqualTo(40));
    Instant latestAllowed = Instant.now().plus(Duration.ofHours(1));
    assertThat(checks)
        .allSatisfy(c -> assertThat(c.getWindowEnd()).isBeforeOrEqualTo(latestAllowed));
    assertThat(
            service
                .meters()
                .get("kfm.health.clamped.events")
                .tag("pipeline", "skew.ahead")
                .counter()
                .count())
        .isEqualTo(12);
  }

  @Test
  void shouldCountAReplayHoursLateAndEmitTheRevisedHealthCheck() throws Exception {
    // Given twelve runs of a pipeline two hours ago and its run of now: the window ending an hour
    // ago is emitted
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    for (int i = 0; i < 12; i++) {
      sendRun(
          "replay.late",
          "current-" + i,
          now.minus(Duration.ofHours(2)).minus(Duration.ofMinutes(15 - i)),
          true,
          true);
    }
    sendRun("replay.late", "current-now", now, true, true);
    Instant firstEnd = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
    HealthCheck before =
        healthChecksUntil(
                all ->
                    all.stream()
                        .anyMatch(
                            c ->
                                c.getScope().equals("replay.late")
                                    && !c.getWindowEnd().isBefore(firstEnd)
                                    && c.getRunsChecked() == 12))
            .stream()
            .filter(c -> c.getScope().equals("replay.late") && c.getRunsChecked() == 12)
            .reduce((a, b) -> b)
            .orElseThrow();
    Predicate<HealthCheck> window =
        c -> c.getScope().equals("replay.late") && c.getWindowEnd().equals(before.getWindowEnd());

    // When a producer replays its buffer after an outage: twelve runs from four to five hours ago
    for (int i = 0; i < 12; i++) {
      sendRun(
          "replay.late",
          "replayed-" + i,
          now.minus(Duration.ofHours(5)).plus(Duration.ofMinutes(5L * i)),
          true,
          false);
    }

    // Then they are counted: the same window is emitted again, under a later revision
    HealthCheck revised =
        healthChecksUntil(
                all ->
                    all.stream()
                        .anyMatch(
                            c ->
                                window.test(c)
                                    && c.getRevision() > before.getRevision()
                                    && c.getRunsChecked() == 24))
            .stream()
            .filter(c -> window.test(c) && c.getRunsChecked() == 24)
            .findFirst()
            .orElseThrow();
    assertThat(revised.getRevision()).isGreaterThan(before.getRevision());
    assertThat(revised.getRunsWithEnergyReport()).isEqualTo(12);
    assertThat(revised.getEnergyReportCoveragePct()).isEqualTo(50.0);
  }

  private static void sendRun(
      String pipeline, String runId, Instant ts, boolean trace, boolean energy) throws Exception {
    send(RAW, null, runId, event("pipeline.run.completed", pipeline, runId, ts, trace, energy));
  }

  private static RecordMetadata send(String topic, Integer partition, String key, String value)
      throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                topic,
                partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8)))
        .get(30, TimeUnit.SECONDS);
  }

  /** A CloudEvents structured event holding {@code data} (a JSON object). */
  private static String cloudEvent(String id, String source, String data) {
    return "{\"specversion\":\"1.0\",\"id\":\""
        + id
        + "\",\"source\":\""
        + source
        + "\",\"type\":\"org.kfm.telemetry\",\"data\":"
        + data
        + "}";
  }

  /** Sends an unkeyed record stamped {@code timestamp} (epoch ms), as the producer chose it. */
  private static RecordMetadata send(String topic, Integer partition, long timestamp, String value)
      throws Exception {
    return producer
        .send(
            new ProducerRecord<>(
                topic, partition, timestamp, null, value.getBytes(StandardCharsets.UTF_8)))
        .get(30, TimeUnit.SECONDS);
  }

  private static double counter(String name, String tag, String value) {
    var counter = service.meters().find(name).tag(tag, value).counter();
    return counter == null ? 0 : counter.count();
  }

  private static List<String> keys(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream().map(RealProducersIntegrationTest::key).toList();
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  private static List<HealthCheck> healthChecksUntil(Predicate<List<HealthCheck>> done)
      throws Exception {
    try (Deserializer<HealthCheck> checks =
        CommittedReader.avroValues(HealthCheck.class, REGISTRY)) {
      List<HealthCheck> decoded = new ArrayList<>();
      readUntil(
          HEALTH,
          records -> {
            decoded.clear();
            records.forEach(r -> decoded.add(checks.deserialize(HEALTH, r.value())));
            return done.test(decoded);
          });
      return decoded;
    }
  }

  /**
   * Everything committed on {@code topic}, read again from the beginning until {@code done} says
   * so; fails if the service stops or the deadline passes first.
   */
  private static List<ConsumerRecord<byte[], byte[]>> readUntil(
      String topic, Predicate<List<ConsumerRecord<byte[], byte[]>>> done) {
    try (CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(), List.of(topic), DEADLINE, Duration.ofMillis(250))) {
      reader.pollUntil(
          () -> done.test(reader.records()),
          () ->
              assertThat(service.streams().state())
                  .isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING),
          () -> "deadline waiting on %s (%d records)".formatted(topic, reader.records().size()));
      return List.copyOf(reader.records());
    }
  }
}
