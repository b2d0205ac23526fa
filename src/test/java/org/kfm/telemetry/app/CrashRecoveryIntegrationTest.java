package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
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
import org.kfm.telemetry.testing.Ports;
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

  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    processes.forEach(Process::destroyForcibly);
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
    Process first = start(config, "first");

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
      first.destroyForcibly().waitFor();
      int outputsAtKill = out.count();
      int sentAtKill = sent.get();
      // ... and a new instance takes over the same state directory (and, with static membership as
      // in the Helm chart's StatefulSet, the same group.instance.id: no wait for the dead member's
      // session to time out)
      Process second = start(config, "second");
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
      second.destroy();
      assertThat(second.waitFor()).as("exit status after SIGTERM").isEqualTo(143);
      assertThat(Files.readString(dir.resolve("second.log"))).contains("stopped cleanly");
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

  /** {@code kfm run --config config} in a JVM of its own, with its output in {@code name}.log. */
  private Process start(Path config, String name) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx512m",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "run",
            "--config",
            config.toString());
    builder.environment().keySet().removeIf(k -> k.startsWith("KFM_"));
    builder.redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  /**
   * A read_committed reader of the valid topic and the DLQ: which topic each key came out on, and
   * repeats.
   */
  private final class Outputs implements AutoCloseable {
    private final Map<String, String> byKey = new HashMap<>();
    private final List<String> duplicates = new ArrayList<>();
    private final CommittedReader reader =
        CommittedReader.fromBeginning(
            KAFKA.bootstrapServers(),
            List.of("kfm.telemetry.valid", "kfm.telemetry.dlq"),
            DEADLINE,
            Duration.ofMillis(200));
    private int counted;

    int count() {
      return byKey().size() + duplicates().size();
    }

    /** The topic each key came out on first. */
    Map<String, String> byKey() {
      catchUp();
      return byKey;
    }

    /** The keys that came out again, once per repeat. */
    List<String> duplicates() {
      catchUp();
      return duplicates;
    }

    private void catchUp() {
      List<ConsumerRecord<byte[], byte[]>> read = reader.records();
      for (; counted < read.size(); counted++) {
        ConsumerRecord<byte[], byte[]> r = read.get(counted);
        String key = new String(r.key(), StandardCharsets.UTF_8);
        if (byKey.putIfAbsent(key, r.topic()) != null) {
          duplicates.add(key);
        }
      }
    }

    /**
     * Polls until {@code done} holds; fails at the deadline or when {@code service} has exited,
     * with its log.
     */
    void pollUntil(BooleanSupplier done, Process service) {
      reader.pollUntil(
          done,
          () -> {
            if (!service.isAlive()) {
              throw new AssertionError(failure(service));
            }
          },
          () -> failure(service));
    }

    /** Polls up to the last stable offset of every partition: nothing committed is left unread. */
    void drainToEnd(Process service) {
      reader.drainToEnd(
          () -> {
            if (!service.isAlive()) {
              throw new AssertionError(failure(service));
            }
          },
          () -> failure(service));
    }

    private String failure(Process service) {
      return "outputs so far: "
          + count()
          + " of "
          + RECORDS
          + "; service "
          + (service.isAlive() ? "running" : "exited " + service.exitValue())
          + "; its log:\n"
          + log();
    }

    private String log() {
      StringBuilder all = new StringBuilder();
      for (File f : dir.toFile().listFiles((d, n) -> n.endsWith(".log"))) {
        try {
          List<String> lines = Files.readAllLines(f.toPath());
          all.append("== ")
              .append(f.getName())
              .append('\n')
              .append(
                  String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())))
              .append('\n');
        } catch (IOException e) {
          all.append("== ").append(f.getName()).append(": unreadable, ").append(e).append('\n');
        }
      }
      return all.toString();
    }

    @Override
    public void close() {
      reader.close();
    }
  }
}
