package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.tools.StreamsResetter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;

/**
 * The topics the service reads changed under it, on a real broker. Partitions added to {@code
 * kfm.telemetry.raw}: Kafka Streams refuses its internal topics (sized to the old count) at the
 * next rebalance, on every rebalance; the raw topic deleted: every rebalance misses it. Either way
 * the service stops (so that an orchestrator sees it, and {@code kfm run} exits with status 1)
 * instead of replacing its stream threads forever (several times a second, before) while processing
 * nothing; and the procedure the docs give for changing partition counts gets it running again.
 */
class SourceTopicChangesIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final String RAW = "kfm.telemetry.raw";
  private static final String VALID = "kfm.telemetry.valid";

  @TempDir Path dir;

  @Test
  void shouldStopWhenPartitionsAreAddedToTheRawTopicUnderItAndRunAgainAfterTheDocumentedReset()
      throws Exception {
    // Given a running service on a raw topic of 2 partitions, whose clients refresh their
    // metadata every half second (Kafka's default is 5 minutes)
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    ServiceRuntime service = start();
    try {
      await("running")
          .atMost(Duration.ofSeconds(60))
          .until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

      // When an operator adds partitions to it
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
        admin
            .createPartitions(Map.of(RAW, NewPartitions.increaseTo(4)))
            .all()
            .get(30, TimeUnit.SECONDS);
      }

      // Then the streams stop for good (kfm run then exits with status 1)
      await("the streams failed for good")
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(60))
          .until(service::failed);
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.ERROR);
    } finally {
      service.close(Duration.ofSeconds(30));
    }

    // ... and after the procedure of docs/deploy.md#changing-partition-counts (Kafka's reset tool
    // without input topics, kfm topics apply, the state directory deleted), a new start runs on 4
    // partitions: an event written twice, to a new partition and an old one, is out once
    assertThat(
            new StreamsResetter()
                .execute(
                    new String[] {
                      "--bootstrap-server",
                      KAFKA.bootstrapServers(),
                      "--application-id",
                      "kfm-telemetry-streams"
                    }))
        .isZero();
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    deleteRecursively(dir.resolve("state"));
    ServiceRuntime again = start();
    try (CommittedReader valid =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of(VALID),
            Duration.ofSeconds(90),
            Duration.ofMillis(200))) {
      byte[] event =
          SourceTopicChangesIntegrationTest.class
              .getResourceAsStream("/seed-examples/pipeline-run-started.json")
              .readAllBytes();
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>(RAW, 3, null, event)).get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(RAW, 0, null, event)).get(30, TimeUnit.SECONDS);
      }
      valid.pollUntil(
          () ->
              again.meters().find("kfm.records").tag("outcome", "duplicate").counter() != null
                  && again
                          .meters()
                          .find("kfm.records")
                          .tag("outcome", "duplicate")
                          .counter()
                          .count()
                      >= 1,
          () ->
              assertThat(again.streams().state())
                  .isNotIn(KafkaStreams.State.ERROR, KafkaStreams.State.NOT_RUNNING),
          () -> "the duplicate not counted; state " + again.streams().state());
      valid.drainToEnd(() -> "draining " + VALID);
      assertThat(valid.records()).hasSize(1);
    } finally {
      again.close(Duration.ofSeconds(30));
    }
  }

  @Test
  void shouldStopWhenTheRawTopicIsDeletedUnderIt() throws Exception {
    // Given a running service (an application of its own on this broker)
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    ServiceRuntime service = start("missing-source");
    try {
      await("running")
          .atMost(Duration.ofSeconds(60))
          .until(() -> service.streams().state() == KafkaStreams.State.RUNNING);

      // When the raw topic is deleted
      try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
        admin.deleteTopics(List.of(RAW)).all().get(30, TimeUnit.SECONDS);
      }

      // Then the streams stop for good, once it has been missing for 20 s
      await("the streams failed for good")
          .dontCatchUncaughtExceptions()
          .atMost(Duration.ofSeconds(90))
          .until(service::failed);
      assertThat(service.streams().state()).isEqualTo(KafkaStreams.State.ERROR);
    } finally {
      service.close(Duration.ofSeconds(30));
    }
  }

  private ServiceRuntime start() {
    return start("kfm-telemetry-streams");
  }

  private ServiceRuntime start(String applicationId) {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    kafka.put("application.id", applicationId);
    kafka.put("state.dir", dir.resolve("state").toString());
    kafka.put("metadata.max.age.ms", "500");
    return ServiceRuntime.start(
        AppConfig.defaults(),
        kafka,
        Map.of("schema.registry.url", "mock://partition-change"),
        "127.0.0.1",
        Ports.unused(),
        "test");
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
