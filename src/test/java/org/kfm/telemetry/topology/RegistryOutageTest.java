package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.avro.HealthCheck;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.serde.ConfluentWireFormat;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.testing.TcpProxy;
import org.kfm.telemetry.testing.TestRegistry;

/**
 * A schema registry that cannot be reached is infrastructure, not bad data: fail, never
 * dead-letter, whether the registry is needed to write a valid record or to read one back (the
 * health sub-topology reads kfm.telemetry.valid); and say so ({@link RegistryOutage}) until the
 * registry answers again.
 */
class RegistryOutageTest {

  @RegisterExtension static final TestRegistry REGISTRY = new TestRegistry();

  @TempDir Path stateDir;

  @Test
  void shouldFailInsteadOfDeadLetteringGoodDataWhenTheRegistryIsDown() throws IOException {
    // Given a registry URL where nothing listens
    int port = Ports.unused();
    TelemetrySerdes serdes = unreachable(port);
    AppConfig config = AppConfig.defaults();
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            TelemetryTopology.build(
                config.withoutHealth(), serdes, new SimpleMeterRegistry(), "test"),
            props)) {
      TestInputTopic<byte[], byte[]> raw =
          driver.createInputTopic(
              config.topics().raw(), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());

      // When a valid record arrives, Then processing fails loudly
      assertThatThrownBy(() -> raw.pipeInput(TelemetryTopologyTest.seed("ui-action")))
          .hasStackTraceContaining("SchemaRegistryUnavailableException");
      // And nothing was dead-lettered, and the outage is known
      driver.advanceWallClockTime(Duration.ZERO);
      assertThat(dlq.isEmpty()).isTrue();
      assertThat(serdes.registryOutage().describe())
          .as("what /readyz is told")
          .startsWith("the schema registry is unavailable since ")
          .contains("127.0.0.1:" + port);
    }
  }

  @Test
  void shouldFailInsteadOfDeadLetteringAValidRecordWhoseWriterSchemaCannotBeFetched()
      throws IOException {
    // Given the topology with health checks (which read kfm.telemetry.valid as Avro), and a
    // registry URL where nothing listens
    int port = Ports.unused();
    TelemetrySerdes serdes = unreachable(port);
    AppConfig config =
        AppConfig.defaults().withHealth(HealthConfig.defaults().withAlertsEnabled(false));
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());

    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            TelemetryTopology.build(config, serdes, new SimpleMeterRegistry(), "test"), props)) {
      TestInputTopic<String, byte[]> valid =
          driver.createInputTopic(
              config.topics().valid(), new StringSerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> dlq =
          driver.createOutputTopic(
              config.topics().dlq(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      // (a valid record an earlier instance wrote with schema id 1, which this one has not cached)
      ByteArrayOutputStream written = new ByteArrayOutputStream();
      ConfluentWireFormat.writeHeader(written, 1);
      written.write(new byte[] {2, 'x'});

      // When it is read while the registry is down, Then the task fails
      assertThatThrownBy(() -> valid.pipeInput("01J0M7Q8J7Y7P4B9D1M2ZK0E7A", written.toByteArray()))
          .hasStackTraceContaining("SchemaRegistryUnavailableException");
      // And the good record was not dead-lettered, and the outage is known
      driver.advanceWallClockTime(Duration.ZERO);
      assertThat(dlq.isEmpty()).as("dead letters").isTrue();
      assertThat(serdes.registryOutage().describe())
          .as("what /readyz is told")
          .contains("Cannot get the writer schema of id 1");
    }
  }

  @Test
  void shouldReportTheOutageFromTheFirstFailureUntilTheRegistryAnswersAgain() {
    // Given the serdes reaching the registry through a proxy
    URI registry = URI.create(REGISTRY.url());
    try (TcpProxy proxy = TcpProxy.to(registry.getHost(), registry.getPort())) {
      TelemetrySerdes serdes =
          TelemetrySerdes.of(
              Map.of("schema.registry.url", "http://127.0.0.1:" + proxy.port(), "max.retries", 0));
      Serializer<HealthCheck> checks = serdes.healthChecks().serializer();
      assertThat(serdes.registryOutage().describe()).as("before any failure").isNull();

      // When the registry is cut, Then writing fails and the outage is reported, since the
      // first failure
      proxy.cut();
      assertThatThrownBy(() -> checks.serialize("kfm.telemetry.health", check()))
          .isInstanceOf(org.kfm.telemetry.serde.SchemaRegistryUnavailableException.class);
      Instant since = serdes.registryOutage().current().orElseThrow().since();
      assertThatThrownBy(() -> checks.serialize("kfm.telemetry.health", check()))
          .isInstanceOf(org.kfm.telemetry.serde.SchemaRegistryUnavailableException.class);
      assertThat(serdes.registryOutage().current())
          .as("after a second failure")
          .hasValueSatisfying(f -> assertThat(f.since()).isEqualTo(since));

      // When it is restored, Then the next write goes through and the outage is over
      proxy.restore();
      assertThat(checks.serialize("kfm.telemetry.health", check())).isNotEmpty();
      assertThat(serdes.registryOutage().describe()).as("after the registry answered").isNull();
    }
  }

  private static TelemetrySerdes unreachable(int port) {
    return TelemetrySerdes.of(
        Map.of(
            "schema.registry.url",
            "http://127.0.0.1:" + port,
            "max.retries",
            1,
            "retries.wait.ms",
            10,
            "retries.max.wait.ms",
            20,
            "http.connect.timeout.ms",
            500));
  }

  private static HealthCheck check() {
    return HealthCheck.newBuilder()
        .setScope("ci.daily.healthcheck")
        .setWindowStart(Instant.parse("2026-01-01T00:00:00Z"))
        .setWindowEnd(Instant.parse("2026-01-02T00:00:00Z"))
        .setWindowHours(24)
        .setRunsChecked(0)
        .setRunsWithTrace(0)
        .setRunsWithEnergyReport(0)
        .setTraceCoveragePct(0.0)
        .setEnergyReportCoveragePct(0.0)
        .setTraceSloPct(95.0)
        .setEnergySloPct(90.0)
        .setMinRuns(10)
        .setLastRunChecked(null)
        .setVerdicts(List.of())
        .build();
  }
}
