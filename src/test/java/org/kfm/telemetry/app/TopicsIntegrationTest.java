package org.kfm.telemetry.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kfm.telemetry.testing.InProcessKafka;

/**
 * kfm topics apply against a real (in-process KRaft) broker: creates what topics.yaml declares,
 * then is a no-op.
 */
class TopicsIntegrationTest {

  @RegisterExtension static final InProcessKafka KAFKA = new InProcessKafka();

  private final Cli cli = new Cli();

  @TempDir Path dir;

  @Test
  void shouldCreateTheDeclaredTopicsAndDoNothingTheSecondTime() throws Exception {
    // When topics.yaml is applied to a single-broker cluster, twice
    int first =
        cli.run(
            "topics",
            "apply",
            "--bootstrap-server",
            KAFKA.bootstrapServers(),
            "--replication-factor",
            "1");
    String firstOutput = cli.out.toString();
    cli.out.getBuffer().setLength(0);
    int second =
        cli.run(
            "topics",
            "apply",
            "--bootstrap-server",
            KAFKA.bootstrapServers(),
            "--replication-factor",
            "1");
    // (the diff finds the cluster through the service's own configuration, as the Helm hook job
    // does)
    Path serviceConfig =
        Files.writeString(
            dir.resolve("kfm.yaml"),
            "kafka:\n  bootstrap.servers: "
                + KAFKA.bootstrapServers()
                + "\n  state.dir: "
                + dir.resolve("state")
                + "\n");
    int diff =
        cli.run(
            "topics", "diff", "--config", serviceConfig.toString(), "--replication-factor", "1");

    // Then the first run created every topic with its configs, and the second had nothing to do
    assertThat(first).as("out: %s err: %s", firstOutput, cli.err).isZero();
    assertThat(firstOutput).contains("kfm.telemetry.raw").contains("kfm.telemetry.dlq");
    assertThat(second).as("second apply: %s %s", cli.out, cli.err).isZero();
    assertThat(diff).isZero();
    assertThat(cli.out.toString()).contains("nothing to do");
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      Set<String> names = admin.listTopics().names().get();
      assertThat(names)
          .contains(
              "kfm.telemetry.raw",
              "kfm.telemetry.valid",
              "kfm.telemetry.dlq",
              "kfm.telemetry.health",
              "kfm.telemetry.alerts",
              "kfm-telemetry-streams-health-by-scope-repartition");
      ConfigResource alerts = new ConfigResource(ConfigResource.Type.TOPIC, "kfm.telemetry.alerts");
      Config config = admin.describeConfigs(Set.of(alerts)).all().get().get(alerts);
      assertThat(config.get("retention.ms").value())
          .isEqualTo(String.valueOf(90L * 24 * 3600 * 1000));
    }
  }
}
