package org.kfm.telemetry.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.app.KfmCommand;
import picocli.CommandLine;

/**
 * kfm dev: a real broker, the registry and the service in-process; --demo yields valid, DLQ and
 * alert records.
 */
class DevModeIntegrationTest {

  @TempDir Path dir;

  @Test
  @Timeout(120)
  void shouldShowValidDeadLetteredRecordsAndASignedAlertWithinAMinuteOfTheDemo() throws Exception {
    long started = System.nanoTime();
    try (DevMode dev = DevMode.start(new DevMode.Settings(dir, 0, 0, 0, true))) {
      assertThat(get("http://127.0.0.1:" + dev.httpPort() + "/healthz")).isEqualTo(200);
      var topics = dev.config().app().topics();
      Map<String, List<String>> seen = new HashMap<>();
      Map<String, List<String>> keys = new HashMap<>();
      try (KafkaConsumer<String, String> consumer = consumer(dev.bootstrapServers())) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (String topic : List.of(topics.valid(), topics.dlq(), topics.alerts())) {
          consumer
              .partitionsFor(topic)
              .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline
            && !(seen.containsKey(topics.valid())
                && seen.containsKey(topics.dlq())
                && keys.getOrDefault(topics.alerts(), List.of()).stream()
                    .anyMatch(DevModeIntegrationTest::lowEnergyAlert))) {
          consumer
              .poll(Duration.ofMillis(500))
              .forEach(
                  r -> {
                    seen.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.value());
                    keys.computeIfAbsent(r.topic(), t -> new ArrayList<>()).add(r.key());
                  });
        }
      }
      long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
      System.out.println(
          "kfm dev --demo: valid, DLQ and alert records seen " + seconds + " s after the start");
      assertThat(seen).containsKeys(topics.valid(), topics.dlq(), topics.alerts());
      assertThat(keys.get(topics.alerts()))
          .anyMatch(DevModeIntegrationTest::lowEnergyAlert)
          .noneMatch(k -> DemoTraffic.PIPELINES.stream().anyMatch(p -> k.startsWith(p + "|")));
      assertThat(get("http://127.0.0.1:" + dev.httpPort() + "/readyz")).isEqualTo(200);
      assertThat(dev.counts().valid()).isPositive();
      // ... and /metrics shows the alert and the pipeline's coverage under the names the Helm
      // dashboard uses
      assertThat(body("http://127.0.0.1:" + dev.httpPort() + "/metrics"))
          .contains("kfm_alerts_total{rule=\"KFM-TELEM-ENERGY-001\",status=\"firing\"}")
          .contains(
              "kfm_health_coverage_pct{check=\"energy\",scope=\""
                  + DemoTraffic.LOW_ENERGY_PIPELINE
                  + "\"}")
          .contains("kfm_records_total{outcome=\"dlq\"}");

      // the alerts verify with the printed public key, as the banner suggests
      Path alerts =
          Files.write(
              dir.resolve("alerts.ndjson"), seen.get(topics.alerts()), StandardCharsets.UTF_8);
      StringWriter out = new StringWriter();
      CommandLine cl = KfmCommand.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(new StringWriter(), true));
      assertThat(
              cl.execute(
                  "verify-alert",
                  "--public-key",
                  dev.keyFiles().publicKey().toString(),
                  alerts.toString()))
          .as(out.toString())
          .isZero();
      assertThat(dev.banner())
          .anyMatch(l -> l.contains(dev.bootstrapServers()))
          .anyMatch(l -> l.contains(dev.registryUrl() + "   (embedded, schemas in topic _schemas"))
          .anyMatch(
              l ->
                  l.contains(
                      "verify-alert --public-key " + dev.keyFiles().publicKey().toAbsolutePath()));
    }
  }

  @Test
  @Timeout(60)
  void shouldKeepSchemaIdsWhenTheBrokerAndRegistryRestartOnTheSameDataDir() throws Exception {
    // Given the broker and registry as kfm dev starts them; the registry got a schema; both stopped
    // (the whole of kfm dev twice takes about 30 s, so the service is left out)
    String schema =
        "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\",\\\"fields\\\":[]}\"}";
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, Duration.ofSeconds(60));
        EmbeddedSchemaRegistry registry = DevMode.registry(kafka, 0)) {
      assertThat(post(registry.url() + "/subjects/kept-value/versions", schema))
          .contains("\"id\":1");
    }

    // When they start again on the same data dir
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0, Duration.ofSeconds(60));
        EmbeddedSchemaRegistry registry = DevMode.registry(kafka, 0)) {
      // Then the schema keeps its id and version
      assertThat(body(registry.url() + "/schemas/ids/1")).contains("Kept");
      assertThat(body(registry.url() + "/subjects/kept-value/versions")).isEqualTo("[1]");
    }
  }

  @Test
  void shouldReportATakenPortInOneLineWithExit2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = KfmCommand.commandLine();
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));

      int exit =
          cl.execute(
              "dev",
              "--data-dir",
              dir.toString(),
              "--kafka-port",
              "0",
              "--registry-port",
              "0",
              "--http-port",
              String.valueOf(taken.getLocalPort()));

      assertThat(exit).isEqualTo(2);
      assertThat(err.toString())
          .isEqualTo(
              "kfm: port "
                  + taken.getLocalPort()
                  + " is already in use (choose another "
                  + "with --kafka-port, --registry-port or --http-port)"
                  + System.lineSeparator());
    }
  }

  /** An alert on the demo's pipeline below its energy SLO (keys are scope|rules). */
  private static boolean lowEnergyAlert(String key) {
    return key.startsWith(DemoTraffic.LOW_ENERGY_PIPELINE + "|") && key.contains("ENERGY");
  }

  private static int get(String url) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String body(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static String post(String url, String json) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties props = new Properties();
    props.put("bootstrap.servers", bootstrap);
    props.put("key.deserializer", StringDeserializer.class.getName());
    props.put("value.deserializer", StringDeserializer.class.getName());
    props.put("isolation.level", "read_committed");
    props.put("enable.auto.commit", "false");
    return new KafkaConsumer<>(props);
  }
}
