package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.dev.DemoTraffic;
import picocli.CommandLine;

/** kfm produce with a MockProducer: what is sent, with which key, under which client settings. */
class ProduceCommandTest {

  @TempDir Path dir;

  private final StringWriter err = new StringWriter();
  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  private Properties props;

  private int run(String... args) {
    ProduceCommand command =
        new ProduceCommand(
            p -> {
              props = p;
              return producer;
            });
    command.demoPace = Duration.ZERO;
    CommandLine cl = new CommandLine(command);
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Test
  void shouldSendEachNonBlankLineAsItIsKeyedByRunIdElseCorrelationId() throws IOException {
    // Given an NDJSON file with a blank line, CRLF, a line that is not JSON
    String first = "{\"run\":{\"run_id\":\"r1\"},\"correlation\":{\"correlation_id\":\"c1\"}}";
    String second = "{ \"correlation\" : {\"correlation_id\":\"c2\"} }";
    Path file =
        Files.writeString(dir.resolve("in.ndjson"), first + "\n\n" + second + "\r\nnot json\n");

    // When it is produced
    int exit = run("--bootstrap-server", "b:9092", file.toString());

    // Then every line is sent byte for byte, keyed when it can be, and a summary says so
    assertThat(exit).isZero();
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent).extracting(r -> r.topic()).containsOnly("kfm.telemetry.raw");
    assertThat(sent).extracting(r -> text(r.value())).containsExactly(first, second, "not json");
    assertThat(sent).extracting(r -> text(r.key())).containsExactly("r1", "c2", null);
    assertThat(producer.closed()).isTrue();
    assertThat(err.toString().strip())
        .isEqualTo(
            "kfm produce: 3 records from "
                + file
                + " to kfm.telemetry.raw acknowledged (2 keyed by run_id/correlation_id, acks=all)");
  }

  @Test
  void shouldPassTheCommandConfigThroughButKeepAcksAllAndIdempotence() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("client.properties"),
            """
        security.protocol=SASL_SSL
        sasl.mechanism=PLAIN
        acks=1
        enable.idempotence=false
        max.block.ms=500
        """);
    Path file = Files.writeString(dir.resolve("in.ndjson"), "{}\n");

    int exit =
        run(
            "--bootstrap-server",
            "b:9092",
            "--command-config",
            config.toString(),
            "--topic",
            "t",
            file.toString());

    assertThat(exit).isZero();
    assertThat(props)
        .containsEntry("bootstrap.servers", "b:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "PLAIN")
        .containsEntry("max.block.ms", "500")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("request.timeout.ms", "10000");
    assertThat(producer.history()).singleElement().extracting(ProducerRecord::topic).isEqualTo("t");
  }

  @Test
  void shouldStopAtTheFirstRejectedRecordAndNameItsLine() throws IOException {
    // Given a broker that rejects every record
    MockProducer<byte[], byte[]> rejecting =
        new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
          @Override
          public synchronized Future<RecordMetadata> send(
              ProducerRecord<byte[], byte[]> record, Callback callback) {
            super.send(record, null);
            NotEnoughReplicasException e = new NotEnoughReplicasException("too few in sync");
            callback.onCompletion(null, e);
            return CompletableFuture.failedFuture(e);
          }
        };
    Path file = Files.writeString(dir.resolve("in.ndjson"), "\n{}\n{}\n");
    CommandLine cl = new CommandLine(new ProduceCommand(p -> rejecting));
    cl.setErr(new PrintWriter(err, true));

    // When records are produced
    int exit = cl.execute("--bootstrap-server", "b:9092", file.toString());

    // Then the first failure stops it, named by its line
    assertThat(exit).isEqualTo(2);
    assertThat(rejecting.history()).hasSize(1);
    assertThat(err.toString().strip())
        .isEqualTo(
            "kfm produce: line 2: NotEnoughReplicasException: too few in sync "
                + "(0 of 1 records from "
                + file
                + " to kfm.telemetry.raw acknowledged; bootstrap b:9092)");
  }

  @Test
  void shouldTakeTheClientSettingsFromTheServiceConfigButLeaveStreamsOnlyOnesOut()
      throws IOException {
    // Given the service's YAML configuration (kafka section with client and Streams settings)
    Path config =
        Files.writeString(
            dir.resolve("kfm.yaml"),
            """
        kafka:
          bootstrap.servers: broker-1:9092,broker-2:9092
          security.protocol: SASL_SSL
          sasl.mechanism: SCRAM-SHA-512
          state.dir: /var/lib/kfm/state
          num.stream.threads: 2
        serde:
          schema.registry.url: http://registry:8081
        """);
    Path file = Files.writeString(dir.resolve("in.ndjson"), "{}\n");

    // When records are produced with --config
    int exit = run("--config", config.toString(), file.toString());

    // Then the producer gets the cluster and security settings, not the Streams ones
    assertThat(exit).isZero();
    assertThat(props)
        .containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
        .containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("acks", "all")
        .doesNotContainKeys("state.dir", "num.stream.threads");
    assertThat(err.toString()).contains("acknowledged");
  }

  @Test
  void shouldLetTheBootstrapServerOptionWinOverTheServiceConfig() throws IOException {
    Path config =
        Files.writeString(
            dir.resolve("kfm.yaml"), "kafka:\n  bootstrap.servers: from-config:9092\n");
    Path file = Files.writeString(dir.resolve("in.ndjson"), "{}\n");

    int exit =
        run(
            "--config",
            config.toString(),
            "--bootstrap-server",
            "from-option:9092",
            file.toString());

    assertThat(exit).isZero();
    assertThat(props).containsEntry("bootstrap.servers", "from-option:9092");
  }

  @Test
  void shouldSendTheDemoTrafficAndSayWhatToExpect() {
    // When the demo traffic is produced
    int exit = run("--bootstrap-server", "b:9092", "--demo");

    // Then the seeds, a simulated day of runs, invalid records and a duplicate are all sent and
    // acknowledged
    assertThat(exit).isZero();
    List<ProducerRecord<byte[], byte[]>> sent = producer.history();
    assertThat(sent).hasSizeGreaterThan(150);
    assertThat(sent)
        .extracting(r -> text(r.value()))
        .anyMatch(v -> v.contains(DemoTraffic.LOW_ENERGY_PIPELINE))
        .anyMatch(v -> v.contains("pipeline.run.completed"));
    assertThat(err.toString().strip())
        .isEqualTo(
            "kfm produce: "
                + sent.size()
                + " of "
                + sent.size()
                + " demo records acknowledged by kfm.telemetry.raw (acks=all); expect valid, dead-lettered and duplicate "
                + "records, health checks and an alert for "
                + DemoTraffic.LOW_ENERGY_PIPELINE);
  }

  @Test
  void shouldRefuseNeitherOrBothOfAFileAndDemo() throws IOException {
    Path file = Files.writeString(dir.resolve("in.ndjson"), "{}\n");

    assertThat(new Cli().run("produce", "--bootstrap-server", "b:9092")).isEqualTo(2);
    Cli both = new Cli();
    assertThat(both.run("produce", "--bootstrap-server", "b:9092", "--demo", file.toString()))
        .isEqualTo(2);

    assertThat(both.err.toString().strip())
        .isEqualTo("kfm: give either FILE.ndjson or --demo, not both");
    assertThat(producer.history()).isEmpty();
  }
}
