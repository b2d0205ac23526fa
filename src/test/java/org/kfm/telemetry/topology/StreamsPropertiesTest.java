package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;

/** The service's Kafka Streams settings, as a Kafka Streams client takes them. */
class StreamsPropertiesTest {

  @TempDir Path stateDir;

  /**
   * Setting up a client with the service's settings does not warn that the global processing
   * exception handler is off (Kafka Streams 4.4 logs "Processing exception handler is not enabled
   * for the GlobalThread" when it configures the partition assignor from the main consumer's
   * settings, although the service turns that handler on). Nothing listens at the broker address:
   * the client's producers complain about that, which is not what this looks at.
   */
  @Test
  void aClientMadeWithTheServiceSettingsDoesNotWarnTheHandlerIsOff() {
    AppConfig config =
        AppConfig.defaults().withHealth(AppConfig.defaults().health().withAlertsEnabled(false));
    Properties props = StreamsProperties.of(config, "test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try (KafkaStreams streams =
        new KafkaStreams(
            TelemetryTopology.build(
                config,
                TestSerdes.of("streams-properties-" + System.nanoTime()),
                new SimpleMeterRegistry(),
                "test"),
            props)) {
      assertThat(streams.state()).isEqualTo(KafkaStreams.State.CREATED);
    } finally {
      System.setErr(err);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("GlobalThread");
  }
}
