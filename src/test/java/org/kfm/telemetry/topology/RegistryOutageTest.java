package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.testing.Ports;

/**
 * A schema registry that cannot be reached is infrastructure, not bad data: fail, never
 * dead-letter.
 */
class RegistryOutageTest {

  @TempDir Path stateDir;

  @Test
  void shouldFailInsteadOfDeadLetteringGoodDataWhenTheRegistryIsDown() throws IOException {
    // Given a registry URL where nothing listens
    int port = Ports.unused();
    TelemetrySerdes serdes =
        TelemetrySerdes.of(
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
      // And nothing was dead-lettered
      driver.advanceWallClockTime(Duration.ZERO);
      assertThat(dlq.isEmpty()).isTrue();
    }
  }
}
