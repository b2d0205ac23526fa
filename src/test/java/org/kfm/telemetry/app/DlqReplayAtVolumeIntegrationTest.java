package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.IsolationLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.dev.GroupLag;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.ServiceProcess;

/**
 * {@code kfm dlq replay} of a dead-letter topic larger than its heap: in a JVM of its own with a
 * 128 MB heap it replays 200,000 dead letters of ≈ 1 KB (≈ 200 MB), all in one transaction, because
 * it sends each as it is found instead of holding them.
 */
class DlqReplayAtVolumeIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final String RAW = "kfm.telemetry.raw";
  private static final String DLQ = "kfm.telemetry.dlq";
  private static final int LETTERS = 200_000;

  @TempDir Path dir;

  @Test
  void shouldReplayMoreDeadLettersThanItsHeapHolds() throws Exception {
    // Given 200,000 dead letters that pass now (~200 MB of values)
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    String padding = "x".repeat(700);
    String ts =
        Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS).toString();
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.bootstrapServers());
    props.put("linger.ms", "20");
    props.put("batch.size", "262144");
    props.putAll(ProduceCommand.PRODUCER_FORCED);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (int i = 0; i < LETTERS; i++) {
        ProducerRecord<byte[], byte[]> letter =
            new ProducerRecord<>(
                DLQ,
                ("run-" + i).getBytes(StandardCharsets.UTF_8),
                DlqCommandsIntegrationTest.event("run-" + i, ts, padding)
                    .getBytes(StandardCharsets.UTF_8));
        letter.headers().add("kfm.errors.rules", "KFM-TS-003".getBytes(StandardCharsets.UTF_8));
        producer.send(letter);
      }
      producer.flush();
    }
    Path config = dir.resolve("kfm.yaml");
    Files.writeString(
        config,
        "kafka:\n  bootstrap.servers: "
            + KAFKA.bootstrapServers()
            + "\nserde:\n  schema.registry.url: mock://dlq-volume\n",
        StandardCharsets.UTF_8);

    // When they are replayed by a JVM with a 128 MB heap
    ServiceProcess replay =
        ServiceProcess.start(
            dir,
            "replay",
            List.of("-Xmx128m"),
            List.of("dlq", "replay", "--config", config.toString()));
    int status = replay.awaitExit(Duration.ofMinutes(5));

    // Then every one of them was replayed, in one committed transaction
    assertThat(status).as(replay.failure()).isZero();
    assertThat(replay.log())
        .contains(LETTERS + " dead letters on " + DLQ)
        .contains(LETTERS + " replayed to " + RAW + " (one transaction, committed)");
    assertThat(committedRecords(RAW)).isEqualTo(LETTERS);
  }

  /**
   * The records written to {@code topic}, which only this replay's one transaction writes: each
   * partition's committed end offset, less the commit marker that takes one offset.
   */
  private static long committedRecords(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      return GroupLag.endOffsets(
              admin, List.of(topic), IsolationLevel.READ_COMMITTED, Duration.ofSeconds(30))
          .values()
          .stream()
          .mapToLong(end -> Math.max(0, end - 1))
          .sum();
    }
  }
}
