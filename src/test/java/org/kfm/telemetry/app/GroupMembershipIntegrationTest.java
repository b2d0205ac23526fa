package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.testing.InProcessKafka;
import org.kfm.telemetry.testing.Ports;

/**
 * What an instance that stops does to its group, on a real broker: one without {@code
 * group.instance.id} leaves it, so that the other instances take its partitions over at once
 * instead of after the 45 s session timeout; a static member stays, so that a restart within the
 * session timeout (a rolling update of the chart's StatefulSet) moves no partition.
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

  private ServiceRuntime start(String app, String name, String instanceId) {
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
            Map.of("schema.registry.url", "mock://" + app),
            "127.0.0.1",
            Ports.unused(),
            "test");
    started.add(service);
    return service;
  }

  private void awaitMembers(String app, int count) {
    await(count + " members in " + app)
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
