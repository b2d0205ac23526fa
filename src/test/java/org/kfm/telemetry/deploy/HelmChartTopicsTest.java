package org.kfm.telemetry.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.kfm.telemetry.deploy.HelmChart.FULLNAME;
import static org.kfm.telemetry.deploy.HelmChart.YAML;
import static org.kfm.telemetry.deploy.HelmChart.realChart;
import static org.kfm.telemetry.deploy.HelmChart.render;
import static org.kfm.telemetry.deploy.HelmChart.values;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/**
 * Topics from the shipped topics.yaml: applied by a pre-install hook Job, or rendered as Strimzi
 * KafkaTopics.
 */
class HelmChartTopicsTest {

  @Test
  void shouldApplyTopicsInAPreInstallHookWithItsOwnConfiguration() throws IOException {
    // When
    Manifests manifests = render(values().set("topics.hookJob.replicationFactor", "1"));
    JsonNode job = manifests.one("Job", FULLNAME + "-topics");
    JsonNode hookConfig = manifests.one("ConfigMap", FULLNAME + "-topics");

    // Then: the Job runs `kfm topics apply` with the service config and the shipped topics.yaml ...
    assertThat(job.at("/metadata/annotations/helm.sh~1hook").asText())
        .isEqualTo("pre-install,pre-upgrade");
    assertThat(job.at("/spec/template/spec/containers/0/args"))
        .extracting(JsonNode::asText)
        .containsExactly(
            "topics",
            "apply",
            "--config",
            "/etc/kfm/kfm.yaml",
            "--file",
            "/etc/kfm/topics/topics.yaml",
            "--replication-factor",
            "1");
    assertThat(job.at("/spec/template/spec/restartPolicy").asText()).isEqualTo("Never");
    // ... from a ConfigMap that is a hook too, created before the Job
    assertThat(hookConfig.at("/metadata/annotations/helm.sh~1hook").asText())
        .isEqualTo("pre-install,pre-upgrade");
    assertThat(
            Integer.parseInt(hookConfig.at("/metadata/annotations/helm.sh~1hook-weight").asText()))
        .isLessThan(
            Integer.parseInt(job.at("/metadata/annotations/helm.sh~1hook-weight").asText()));
    assertThat(hookConfig.at("/data/topics.yaml").asText())
        .isEqualTo(Files.readString(Path.of("topics.yaml")));
    assertThat(hookConfig.at("/data/kfm.yaml").asText())
        .isEqualTo(
            manifests
                .one("ConfigMap", FULLNAME)
                .at("/data/kfm.yaml")
                .asText()
                .lines()
                .filter(l -> !l.startsWith("#"))
                .collect(Collectors.joining("\n", "", "\n")));
    // ... and its pod is none of the service's (the StatefulSet, Services and PDB select by these
    // labels)
    assertThat(job.at("/spec/template/metadata/labels/app.kubernetes.io~1name").asText())
        .isNotEqualTo(
            manifests
                .one("StatefulSet", FULLNAME)
                .at("/spec/selector/matchLabels/app.kubernetes.io~1name")
                .asText());
  }

  @Test
  void shouldKeepTheTopicsJobAndItsConfigurationOutOfTheReleaseManifest() {
    // When: the real chart, whose hooks helm-java's template leaves out as Helm leaves them out of
    // the release
    Manifests release =
        render(
            realChart()
                .set("kafka.bootstrapServers", "kafka:9092")
                .set("schemaRegistry.url", "http://registry:8081"));

    // Then: Helm took them for hooks
    assertThat(release.kinds()).doesNotContain("Job");
    assertThat(release.ofKind("ConfigMap"))
        .extracting(c -> c.at("/metadata/name").asText())
        .containsExactly(FULLNAME);
  }

  @Test
  void shouldRenderStrimziTopicsFromTheSameTopicsFile() throws IOException {
    // Given
    JsonNode file = YAML.readTree(Path.of("topics.yaml").toFile());

    // When
    Manifests manifests =
        render(
            values()
                .set("topics.strimzi.enabled", "true")
                .set("topics.strimzi.clusterName", "events")
                .set("topics.hookJob.enabled", "false"));

    // Then: one KafkaTopic per declared topic, with its partitions and merged configs
    List<JsonNode> topics = manifests.ofKind("KafkaTopic");
    assertThat(topics)
        .extracting(t -> t.at("/spec/topicName").asText())
        .containsExactlyElementsOf(
            StreamSupport.stream(file.get("topics").spliterator(), false)
                .map(t -> t.get("name").asText())
                .toList());
    JsonNode raw = topics.get(0);
    assertThat(raw.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo("events");
    assertThat(raw.at("/metadata/annotations/helm.sh~1resource-policy").asText()).isEqualTo("keep");
    assertThat(raw.at("/spec/partitions").asInt()).isEqualTo(12);
    assertThat(raw.at("/spec/replicas").asInt()).isEqualTo(3);
    assertThat(raw.at("/spec/config/retention.ms").asLong()).isEqualTo(604_800_000L);
    assertThat(raw.at("/spec/config/min.insync.replicas").asInt()).isEqualTo(2);
    assertThat(raw.at("/spec/config/cleanup.policy").asText()).isEqualTo("delete");
    assertThat(topics.get(1).at("/spec/config/retention.ms").asLong())
        .as("the valid topic's own config")
        .isEqualTo(2_592_000_000L);
    assertThat(manifests.kinds()).doesNotContain("Job");
  }

  @Test
  void shouldCapMinInsyncReplicasWhenStrimziReplicasAreOverridden() {
    // When
    List<JsonNode> topics =
        render(
                values()
                    .set("topics.strimzi.enabled", "true")
                    .set("topics.strimzi.clusterName", "dev")
                    .set("topics.strimzi.replicas", "1"))
            .ofKind("KafkaTopic");

    // Then
    assertThat(topics)
        .allSatisfy(
            t -> {
              assertThat(t.at("/spec/replicas").asInt()).isEqualTo(1);
              assertThat(t.at("/spec/config/min.insync.replicas").asInt()).isEqualTo(1);
            });
  }
}
