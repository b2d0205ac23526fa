package org.kfm.telemetry.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class BenchVariantTest {

  @Test
  void shouldLetTheOverridesWinOverTheServiceAndTheBenchmark() {
    // Given settings the benchmark itself sets (commit interval, processing guarantee) overridden
    Map<String, String> overrides =
        Map.of(
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
            "500",
            StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
            StreamsConfig.AT_LEAST_ONCE,
            "linger.ms",
            "7");

    // When the service variant's properties are made
    Properties props =
        BenchVariant.SERVICE_EOS.properties("raw", "app", "localhost:9092", 2, overrides);

    // Then the overrides are there, and the rest is the variant's own
    assertThat(props)
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "500")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE)
        .containsEntry("linger.ms", "7")
        .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, "2")
        .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "app");
    assertThat(BenchVariant.SERVICE_EOS.properties("raw", "app", "localhost:9092", 1, Map.of()))
        .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "100")
        .containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
  }
}
