package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.testing.CommittedReader;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;
import org.kfm.telemetry.testing.TcpProxy;

/**
 * What an instance that stops does to its group, on a real broker: one without {@code
 * group.instance.id} leaves it, so that the other instances take its partitions over at once
 * instead of after the 45 s session timeout; a static member stays, so that a restart within the
 * session timeout (a rolling update of the chart's StatefulSet) moves no partition. And a stream
 * thread that fails and is replaced leaves the group, static member or not, so that its replacement
 * does not wait for the dead member's session to time out ({@link StreamsClients}).
 */
class GroupMembershipIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  /** Kafka's default, said here so that a member waiting it out would be plain to see. */
  private static final String SESSION_TIMEOUT_MS = "45000";

  @TempDir Path dir;

  private final List<ServiceRuntime> started = new ArrayList<>();

  @BeforeAll
  static void topics(@TempDir Path topicsDir) throws Exception {
    TopicsFiles.apply(topicsDir, KAFKA.bootstrapServers(), 2);
  }

  @AfterEach
  void stopTheRest() {
    started.forEach(s -> s.close(Duration.ofSeconds(30)));
  }

  @Test
  void shouldLeaveTheGroupOnCloseWhenNotAStaticMember() throws Exception {
    // Given two instances of one application, dynamic members of its group
    String app = "membership-dynamic";
    ServiceRuntime first = start(app, "a", null);
    start(app, "b", null);
    awaitMembers(app, 2);

    // When one of them stops
    first.close(Duration.ofSeconds(30));

    // Then it has left the group: the other is its only member, long before the session timeout
    assertThat(members(app)).hasSize(1);
  }

  @Test
  void shouldStayInTheGroupOnCloseWhenAStaticMember() throws Exception {
    // Given two instances of one application with group.instance.id set (as the chart sets it)
    String app = "membership-static";
    ServiceRuntime first = start(app, "a", "kfm-a");
    start(app, "b", "kfm-b");
    awaitMembers(app, 2);

    // When one of them stops
    first.close(Duration.ofSeconds(30));

    // Then its membership is kept for its restart (until the session timeout)
    assertThat(members(app))
        .extracting(m -> m.groupInstanceId().orElse(""))
        .hasSize(2)
        .anySatisfy(id -> assertThat(id).startsWith("kfm-a"));
  }

  @ParameterizedTest(name = "group.instance.id {0}")
  @NullSource
  @ValueSource(strings = "kfm-r")
  void shouldResumeWellBeforeTheSessionTimeoutWhenAStreamThreadIsReplaced(String instanceId)
      throws Exception {
    // Given an instance whose registry is cut before its first valid record (as after a registry
    // outage), so that its stream thread fails on that record and Kafka Streams replaces it
    String app = "membership-replaced-" + (instanceId == null ? "dynamic" : "static");
    URI registry = URI.create(KAFKA.registry().url());
    try (TcpProxy proxy = TcpProxy.to(registry.getHost(), registry.getPort());
        CommittedReader valid =
            CommittedReader.fromBeginning(
                KAFKA.bootstrapServers(),
                List.of("kfm.telemetry.valid"),
                Duration.ofSeconds(170),
                Duration.ofMillis(100))) {
      proxy.cut();
      ServiceRuntime service = start(app, "r", instanceId, "http://127.0.0.1:" + proxy.port());
      String runId = "run-replaced-" + app;
      produce(runId);
      await("the stream thread replaced")
          .dontCatchUncaughtExceptions() // Kafka Streams rethrows the failure on the dying thread
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  service.streams().metadataForLocalThreads().stream()
                      .anyMatch(t -> t.threadName().endsWith("-StreamThread-2")));

      // When the registry comes back
      proxy.restore();
      long restored = System.nanoTime();

      // Then the record is out long before the failed thread's member would have timed out (45 s),
      // and that member is no longer in the group
      valid.pollUntil(
          () -> valid.records().stream().anyMatch(r -> runId.equals(key(r))),
          () -> "the record is not on kfm.telemetry.valid");
      Duration resumed = Duration.ofNanos(System.nanoTime() - restored);
      System.out.printf("%s: the record out %s after the registry came back%n", app, resumed);
      assertThat(resumed).isLessThan(Duration.ofSeconds(20));
      assertThat(members(app)).as("the group's members").hasSize(1);
    }
  }

  private static String key(ConsumerRecord<byte[], byte[]> record) {
    return record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
  }

  private static void produce(String runId) throws Exception {
    String event =
        new String(
                GroupMembershipIntegrationTest.class
                    .getResourceAsStream("/seed-examples/pipeline-run-started.json")
                    .readAllBytes(),
                StandardCharsets.UTF_8)
            .replaceAll("\"run_id\"\\s*:\\s*\"[^\"]*\"", "\"run_id\": \"" + runId + "\"");
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of("bootstrap.servers", KAFKA.bootstrapServers()),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer
          .send(
              new ProducerRecord<>(
                  "kfm.telemetry.raw", null, event.getBytes(StandardCharsets.UTF_8)))
          .get(30, TimeUnit.SECONDS);
    }
  }

  private ServiceRuntime start(String app, String name, String instanceId) {
    return start(app, name, instanceId, "mock://" + app);
  }

  private ServiceRuntime start(String app, String name, String instanceId, String registry) {
    Properties kafka = new Properties();
    kafka.put("bootstrap.servers", KAFKA.bootstrapServers());
    kafka.put("application.id", app);
    kafka.put("state.dir", dir.resolve(name).toString());
    kafka.put("session.timeout.ms", SESSION_TIMEOUT_MS);
    kafka.put("num.stream.threads", "1"); // one member per instance
    if (instanceId != null) {
      kafka.put("group.instance.id", instanceId);
    }
    ServiceRuntime service =
        ServiceRuntime.start(
            AppConfig.defaults(),
            kafka,
            Map.of("schema.registry.url", registry),
            "127.0.0.1",
            Ports.unused(),
            "test");
    started.add(service);
    return service;
  }

  private void awaitMembers(String app, int count) {
    await(count + " members in " + app)
        .dontCatchUncaughtExceptions()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                members(app).size() == count
                    && started.stream()
                        .allMatch(s -> s.streams().state() == KafkaStreams.State.RUNNING));
  }

  private static List<MemberDescription> members(String app) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA.bootstrapServers()))) {
      return List.copyOf(
          admin
              .describeConsumerGroups(List.of(app))
              .describedGroups()
              .get(app)
              .get(30, TimeUnit.SECONDS)
              .members());
    }
  }
}
