package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.OutputLedger;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.testing.ServiceProcess;
import org.kfm.telemetry.validation.ContractCatalogue;

/**
 * Exactly-once across a crash: {@code kfm run} in its own JVM is killed with SIGKILL while records
 * stream in, a second one takes over the same state directory, and a {@code read_committed} reader
 * then finds every input record exactly once on the valid topic or the DLQ — none lost (the killed
 * instance's open transaction, de-duplication store writes included, is aborted, so nothing is
 * taken for a duplicate) and none doubled.
 */
class CrashRecoveryIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int RECORDS = 6_000;

  /** One record in this many is invalid (a bad ts) and must be dead-lettered. */
  private static final int INVALID_EVERY = 10;

  private static final Duration DEADLINE = Duration.ofSeconds(120);

  @TempDir Path dir;

  private final List<ServiceProcess> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(ServiceProcess::close);
  }

  @Test
  void shouldOutputEveryRecordExactlyOnceWhenTheServiceIsKilledMidStreamAndRestarted()
      throws Exception {
    // Given the topics and the service running in its own JVM
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    Path config =
        Files.writeString(
            dir.resolve("kfm.yaml"),
            """
        kafka:
          bootstrap.servers: %s
          state.dir: %s
          commit.interval.ms: 100
          session.timeout.ms: 6000
          group.instance.id: kfm-0
        serde:
          schema.registry.url: %s
        health:
          alerts:
            enabled: false
        http:
          port: %d
        """
                .formatted(
                    KAFKA.bootstrapServers(),
                    dir.resolve("state"),
                    KAFKA.registry().url(),
                    Ports.unused()));
    ServiceProcess first = start(config, "first");

    try (Outputs out = new Outputs()) {
      // When records stream in and the service is killed (SIGKILL, no clean close) once it has
      // committed some
      AtomicInteger sent = new AtomicInteger();
      CompletableFuture<Void> producing = CompletableFuture.runAsync(() -> produce(sent));
      out.pollUntil(
          () -> {
            if (producing.isCompletedExceptionally()) {
              producing.join();
            }
            return out.count() >= RECORDS / 10;
          },
          first);
      first.kill();
      int outputsAtKill = out.count();
      int sentAtKill = sent.get();
      // ... and a new instance takes over the same state directory (and, with static membership as
      // in the Helm chart's StatefulSet, the same group.instance.id: no wait for the dead member's
      // session to time out)
      ServiceProcess second = start(config, "second");
      producing.get();
      out.pollUntil(() -> out.count() >= RECORDS, second);
      out.drainToEnd(second);

      // Then it was killed mid-stream, and every record came out once: the valid ones on the valid
      // topic, the invalid ones on the DLQ
      assertThat(outputsAtKill).as("outputs when killed").isLessThan(RECORDS);
      assertThat(sentAtKill).as("records sent when killed").isGreaterThan(0);
      assertThat(out.duplicates()).as("keys output more than once").isEmpty();
      assertThat(out.count()).isEqualTo(RECORDS);
      assertThat(out.byKey().values().stream().filter(t -> t.equals("kfm.telemetry.dlq")).count())
          .isEqualTo(RECORDS / INVALID_EVERY);
      out.byKey()
          .forEach(
              (key, topic) ->
                  assertThat(topic)
                      .as("topic of %s", key)
                      .isEqualTo(invalid(key) ? "kfm.telemetry.dlq" : "kfm.telemetry.valid"));
      assertThat(second.stop()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(second.log()).contains("stopped cleanly");
    }
  }

  /**
   * Sends RECORDS distinct runs, paced so that the stream is still flowing when the service is
   * killed.
   */
  private static void produce(AtomicInteger sent) {
    Map<String, Object> configs =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            KAFKA.bootstrapServers(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.LINGER_MS_CONFIG,
            5);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(configs, new ByteArraySerializer(), new ByteArraySerializer())) {
      ObjectNode template =
          (ObjectNode) JSON.readTree(ContractCatalogue.seed("pipeline-run-completed"));
      for (int i = 0; i < RECORDS; i++) {
        String runId = runId(i);
        ObjectNode event = template.deepCopy();
        ((ObjectNode) event.get("run")).put("run_id", runId);
        // (some ts 20 h ahead, which the contract allows: the broker refuses more than 1 h ahead by
        // default, so the service must have set the internal topics it creates to accept them)
        event.put(
            "ts",
            i % INVALID_EVERY == 0
                ? "yesterday"
                : Instant.now().plus(Duration.ofHours(i % 7 == 0 ? 20 : 0)).toString());
        producer.send(
            new ProducerRecord<>(
                "kfm.telemetry.raw",
                runId.getBytes(StandardCharsets.UTF_8),
                JSON.writeValueAsBytes(event)));
        sent.incrementAndGet();
        if (i % 200 == 199) {
          producer.flush();
          Thread.sleep(50);
        }
      }
      producer.flush();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A ULID-shaped run id (26 Crockford base-32 characters) for record {@code i}. */
  private static String runId(int i) {
    return "01J0M7Q8J7Y7P4B9D1M2" + String.format("%06d", i);
  }

  private static boolean invalid(String runId) {
    return Integer.parseInt(runId.substring(20)) % INVALID_EVERY == 0;
  }

  private ServiceProcess start(Path config, String name) {
    ServiceProcess process = ServiceProcess.run(dir, name, config);
    processes.add(process);
    return process;
  }

  /** The ledger of the valid topic and the DLQ, polled with the service's liveness checked. */
  private final class Outputs implements AutoCloseable {
    private final OutputLedger ledger =
        new OutputLedger(
            CommittedReader.fromBeginning(
                KAFKA.bootstrapServers(), OutputLedger.TOPICS, DEADLINE, Duration.ofMillis(200)));

    int count() {
      return ledger.count();
    }

    Map<String, String> byKey() {
      return ledger.byKey();
    }

    List<String> duplicates() {
      return ledger.repeats();
    }

    void pollUntil(BooleanSupplier done, ServiceProcess service) {
      ledger.pollUntil(done, service::assertAlive, () -> failure(service));
    }

    void drainToEnd(ServiceProcess service) {
      ledger.drainToEnd(service::assertAlive, () -> failure(service));
    }

    private String failure(ServiceProcess service) {
      return "outputs so far: " + count() + " of " + RECORDS + "; " + service.failure();
    }

    @Override
    public void close() {
      ledger.close();
    }
  }
}
