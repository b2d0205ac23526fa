package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.ConfigError;

/**
 * The run-mode wiring against a broker that is not there: alive, not ready, metrics served, clean
 * close.
 */
class ServiceRuntimeTest {

  @TempDir Path stateDir;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(int port, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeProbesAndMetricsWhileWaitingForTheBrokerAndStopCleanly() throws Exception {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", "127.0.0.1:1");
    kafka.put("state.dir", stateDir.toString());
    ServiceRuntime runtime =
        ServiceRuntime.start(
            AppConfig.defaults(),
            kafka,
            Map.of("schema.registry.url", "mock://service-runtime-test"),
            "127.0.0.1",
            0,
            "test");
    int port = runtime.httpPort();
    try {
      assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
      HttpResponse<String> ready = get(port, "/readyz");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isIn("CREATED\n", "REBALANCING\n");
      assertThat(get(port, "/api/health-checks").statusCode()).isEqualTo(503);
      String metrics = get(port, "/metrics").body();
      assertThat(metrics).contains("jvm_memory_used_bytes").contains("kafka_stream_");
    } finally {
      runtime.close(Duration.ofSeconds(20));
    }

    assertThat(runtime.streams().state()).isEqualTo(KafkaStreams.State.NOT_RUNNING);
    assertThat(runtime.failed()).isFalse();
    assertThatThrownBy(() -> get(port, "/healthz")).isInstanceOf(ConnectException.class);
  }

  @Test
  void shouldReportABadKafkaPropertyAsAConfigErrorAndReleaseThePort() throws Exception {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", "127.0.0.1:1");
    kafka.put("state.dir", stateDir.toString());
    kafka.put("processing.guarantee", "sometimes");

    assertThatThrownBy(
            () ->
                ServiceRuntime.start(
                    AppConfig.defaults(),
                    kafka,
                    Map.of("schema.registry.url", "mock://service-runtime-test"),
                    "127.0.0.1",
                    0,
                    "test"))
        .isInstanceOf(ConfigError.class)
        .hasMessageStartingWith("kafka: ")
        .hasMessageContaining("processing.guarantee");
  }

  @Test
  void shouldRefuseAKafkaDeadLetterTopicThatIsNotTopicsDlq() {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", "127.0.0.1:1");
    kafka.put("state.dir", stateDir.toString());
    kafka.put("errors.dead.letter.queue.topic.name", "other.dlq");

    assertThatThrownBy(
            () ->
                ServiceRuntime.start(
                    AppConfig.defaults(),
                    kafka,
                    Map.of("schema.registry.url", "mock://service-runtime-test"),
                    "127.0.0.1",
                    0,
                    "test"))
        .isInstanceOf(ConfigError.class)
        .hasMessage(
            "kafka.errors.dead.letter.queue.topic.name: other.dlq is not topics.dlq "
                + "(kfm.telemetry.dlq): the dead-letter topic is set once, with topics.dlq "
                + "(KFM_TOPICS_DLQ), and given to Kafka Streams as "
                + "errors.dead.letter.queue.topic.name");
  }

  @Test
  void shouldSayWhyRecordsAreStalledTheRegistryFirstThenBlockedThreadsOrThreadFailures() {
    String registry = "the schema registry is unavailable since 2026-01-01T12:00:00Z (refused)";
    String failures = "stream threads failed 3 times, each within a minute of the one before";
    String blocked = "stream thread StreamThread-1 has not polled for 25 s: blocked in Kafka";
    List<String> asked = new ArrayList<>();
    Supplier<String> failing =
        () -> {
          asked.add("failures");
          return failures;
        };
    Supplier<String> blocking =
        () -> {
          asked.add("blocked");
          return blocked;
        };

    assertThat(ServiceRuntime.stalled(registry, KafkaStreams.State.RUNNING, failing, blocking))
        .isEqualTo(registry);
    assertThat(asked).as("asked once the registry answered").isEmpty();
    assertThat(ServiceRuntime.stalled(null, KafkaStreams.State.REBALANCING, failing, blocking))
        .isEqualTo(failures);
    assertThat(ServiceRuntime.stalled(null, KafkaStreams.State.RUNNING, failing, blocking))
        .as("RUNNING: only a thread blocked now stalls records; earlier failures do not")
        .isEqualTo(blocked);
    assertThat(asked).containsExactly("failures", "blocked");
    assertThat(ServiceRuntime.stalled(null, KafkaStreams.State.RUNNING, failing, () -> null))
        .as("records flow again")
        .isNull();
    assertThat(ServiceRuntime.stalled(null, KafkaStreams.State.REBALANCING, () -> null, blocking))
        .isNull();
    assertThat(ServiceRuntime.stalled(null, KafkaStreams.State.RUNNING, null, null)).isNull();
    assertThat(ServiceRuntime.stalled(null, null, failing, blocking)).isNull();
  }
}
