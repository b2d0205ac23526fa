package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.dev.DemoTraffic;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;

/**
 * Two instances of the service share the health stores' partitions on a real broker; each finds the
 * other through Streams' metadata ({@code application.server}) and answers {@code
 * /api/health-checks} (and the status page's history, states and rates) for every scope of the
 * application, while {@code ?local=true} answers for its own partitions only.
 */
class HealthChecksAcrossInstancesIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final List<ServiceRuntime> instances = new ArrayList<>();

  @AfterEach
  void stop() {
    instances.forEach(r -> r.close(Duration.ofSeconds(20)));
  }

  @Test
  void shouldAnswerForEveryScopeOfTheApplicationFromEitherInstance() throws Exception {
    // Given the topics (2 partitions each) and two instances that advertise their ops endpoints
    TopicsFiles.apply(dir, KAFKA.bootstrapServers(), 2);
    ServiceRuntime a = start("a");
    ServiceRuntime b = start("b");

    // When the demo traffic has been processed
    Properties producer = new Properties();
    producer.put("bootstrap.servers", KAFKA.bootstrapServers());
    producer.putAll(ProduceCommand.PRODUCER_FORCED);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producer)) {
      DemoTraffic.publish(
          p,
          "kfm.telemetry.raw",
          Instant.now(),
          DemoTraffic.sleeping(Duration.ZERO),
          (metadata, e) -> {});
    }
    TreeSet<String> union = new TreeSet<>();
    // every pipeline of the demo (the low-energy one included), the pipeline of the contract's
    // examples the demo also sends, and the fleet
    TreeSet<String> expected = new TreeSet<>(DemoTraffic.PIPELINES);
    expected.add(DemoTraffic.LOW_ENERGY_PIPELINE);
    expected.add("kfm.ingest.hydrology.river_gauges");
    expected.add("*");
    await("every scope on one instance or the other")
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              union.clear();
              union.addAll(scopes(a, "?local=true"));
              union.addAll(scopes(b, "?local=true"));
              assertThat(union).containsExactlyElementsOf(expected);
            });

    // Then each instance answers for the scopes of both, complete
    List<String> local = new ArrayList<>(scopes(a, "?local=true"));
    local.addAll(scopes(b, "?local=true"));
    assertThat(local).as("each scope on one instance only").doesNotHaveDuplicates();
    for (ServiceRuntime instance : List.of(a, b)) {
      JsonNode all = JSON.readTree(get(instance, "/api/health-checks").body());
      assertThat(all.get("health_checks").findValuesAsText("scope"))
          .as("scopes from %d", instance.httpPort())
          .containsExactlyElementsOf(union);
      assertThat(all.get("partial").asBoolean()).isFalse();
    }

    // ... and so does the status page's JSON: every scope's history, both instances' states and
    // the record rates of both
    for (ServiceRuntime instance : List.of(a, b)) {
      JsonNode history = JSON.readTree(get(instance, "/api/health-checks/history").body());
      assertThat(history.get("history").findValuesAsText("scope"))
          .as("history from %d", instance.httpPort())
          .containsExactlyElementsOf(union);
      assertThat(history.get("partial").asBoolean()).isFalse();
      JsonNode status = JSON.readTree(get(instance, "/api/status").body());
      assertThat(status.get("state").asText()).isEqualTo("RUNNING");
      assertThat(status.get("peers").findValuesAsText("state")).containsExactly("RUNNING");
      // the rates are sampled every few seconds: the totals catch up with the counters
      await("record totals of both instances from " + instance.httpPort())
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                JsonNode rates =
                    JSON.readTree(get(instance, "/api/dlq/summary").body()).get("rates");
                assertThat(rates.get("instances").asInt()).isEqualTo(2);
                assertThat(rates.get("valid_total").asLong())
                    .isEqualTo(
                        (long)
                            (a.meters().counter("kfm.records", "outcome", "valid").count()
                                + b.meters().counter("kfm.records", "outcome", "valid").count()));
              });
    }
  }

  private ServiceRuntime start(String name) throws IOException {
    int port = Ports.unused();
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    kafka.put("state.dir", Files.createDirectories(dir.resolve(name)).toString());
    kafka.put("application.server", "127.0.0.1:" + port);
    kafka.put("commit.interval.ms", "100");
    ServiceRuntime runtime =
        ServiceRuntime.start(
            AppConfig.defaults(),
            kafka,
            Map.of("schema.registry.url", "mock://health-checks-across-instances"),
            "127.0.0.1",
            port,
            "test");
    instances.add(runtime);
    return runtime;
  }

  /** The scopes {@code instance} answers for, once it is RUNNING (none before). */
  private List<String> scopes(ServiceRuntime instance, String query) throws Exception {
    if (instance.streams().state() != KafkaStreams.State.RUNNING) {
      return List.of();
    }
    HttpResponse<String> response = get(instance, "/api/health-checks" + query);
    return response.statusCode() != 200
        ? List.of()
        : JSON.readTree(response.body()).get("health_checks").findValuesAsText("scope");
  }

  private HttpResponse<String> get(ServiceRuntime instance, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.httpPort() + path))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
