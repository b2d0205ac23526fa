package org.kfm.telemetry.ops.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.config.Topics;

/**
 * topics.yaml: the repository's file, defaults merged, and errors that name the file, topic and
 * key.
 */
class TopicsFileTest {

  private static List<TopicSpec> parse(String yaml) {
    return TopicsFile.parse("t.yaml", yaml);
  }

  @Test
  void shouldDeclareEveryTopicOfTheServiceInTheRepositorysTopicsYaml() {
    List<TopicSpec> topics = TopicsFile.load(Path.of("topics.yaml"));

    Topics names = Topics.DEFAULTS;
    assertThat(topics)
        .extracting(TopicSpec::name)
        .containsExactlyInAnyOrder(
            names.raw(),
            names.valid(),
            names.dlq(),
            names.health(),
            names.alerts(),
            HealthConfig.DEFAULT_REPARTITION_TOPIC);
    assertThat(topics)
        .allSatisfy(
            t -> {
              assertThat(t.replicationFactor()).isEqualTo((short) 3);
              assertThat(t.configs())
                  .containsEntry("min.insync.replicas", "2")
                  .containsKeys("retention.ms", "cleanup.policy", "compression.type");
            });
    TopicSpec raw =
        topics.stream().filter(t -> t.name().equals(names.raw())).findFirst().orElseThrow();
    assertThat(raw.configs())
        .containsEntry("retention.ms", "604800000")
        .containsEntry("cleanup.policy", "delete");
  }

  @Test
  void shouldMergeDefaultsIntoEachTopicWithTheTopicsOwnKeysWinning() {
    List<TopicSpec> topics =
        parse(
            """
        defaults:
          replication-factor: 3
          configs: {min.insync.replicas: 2, compression.type: producer}
        topics:
          - name: a
            partitions: 6
            configs: {compression.type: zstd, retention.ms: 1000}
          - name: b
            partitions: 1
            replication-factor: 1
            configs: {min.insync.replicas: 1}
        """);

    assertThat(topics)
        .containsExactly(
            new TopicSpec(
                "a",
                6,
                (short) 3,
                Map.of(
                    "min.insync.replicas",
                    "2",
                    "compression.type",
                    "zstd",
                    "retention.ms",
                    "1000")),
            new TopicSpec(
                "b",
                1,
                (short) 1,
                Map.of("min.insync.replicas", "1", "compression.type", "producer")));
  }

  @Test
  void shouldNameTheTopicAndKeyOfABadValue() {
    assertThatThrownBy(
            () ->
                parse(
                    "topics:\n  - {name: a, partitions: 1, replication-factor: 1, "
                        + "configs: {retention.ms: 7d}}\n"))
        .isInstanceOf(TopicsFileException.class)
        .hasMessage(
            "t.yaml: topic a: key 'configs.retention.ms': expected a whole number, was '7d'");
    assertThatThrownBy(
            () -> parse("topics:\n  - {name: a, partitions: zero, replication-factor: 1}\n"))
        .hasMessage(
            "t.yaml: topic a: key 'partitions': expected a positive whole number, was 'zero'");
    assertThatThrownBy(
            () -> parse("topics:\n  - {name: a, partitions: 0, replication-factor: 1}\n"))
        .hasMessageStartingWith(
            "t.yaml: topic a: key 'partitions': expected a whole number from 1 to");
  }

  @Test
  void shouldNameMissingAndUnknownKeys() {
    assertThatThrownBy(() -> parse("topics:\n  - {name: a, replication-factor: 1}\n"))
        .hasMessage("t.yaml: topic a: key 'partitions' is missing");
    assertThatThrownBy(() -> parse("topics:\n  - {name: a, partitions: 1}\n"))
        .hasMessageContaining("topic a: key 'replication-factor' is missing");
    assertThatThrownBy(() -> parse("topics:\n  - {name: a, partitions: 1, replicas: 3}\n"))
        .hasMessageStartingWith("t.yaml: topic a: unknown key 'replicas'");
    assertThatThrownBy(
            () -> parse("defaults: {retention: 1}\ntopics:\n  - {name: a, partitions: 1}\n"))
        .hasMessageStartingWith("t.yaml: unknown key 'defaults.retention'");
    assertThatThrownBy(() -> parse("topics:\n  - {partitions: 1}\n"))
        .hasMessage("t.yaml: topics[1]: key 'name' is missing or not a string");
  }

  @Test
  void shouldRejectDuplicatesBadNamesAndAnImpossibleMinInsyncReplicas() {
    assertThatThrownBy(
            () ->
                parse(
                    "topics:\n  - {name: a, partitions: 1, replication-factor: 1}\n"
                        + "  - {name: a, partitions: 2, replication-factor: 1}\n"))
        .hasMessage("t.yaml: topic a: declared twice");
    assertThatThrownBy(
            () -> parse("topics:\n  - {name: 'a b', partitions: 1, replication-factor: 1}\n"))
        .hasMessageStartingWith("t.yaml: topic a b: key 'name': not a valid Kafka topic name");
    assertThatThrownBy(
            () ->
                parse(
                    "topics:\n  - {name: a, partitions: 1, replication-factor: 1, "
                        + "configs: {min.insync.replicas: 2}}\n"))
        .hasMessageStartingWith(
            "t.yaml: topic a: key 'configs.min.insync.replicas' (2) is greater than the "
                + "replication factor (1)");
  }

  @Test
  void shouldReportBrokenYamlAndMissingFilesWithTheFileName() {
    assertThatThrownBy(() -> parse("topics: [\n")).hasMessageStartingWith("t.yaml: not valid YAML");
    assertThatThrownBy(() -> parse("just text"))
        .hasMessageStartingWith("t.yaml: expected a mapping with 'topics'");
    assertThatThrownBy(() -> parse("topics: []\n"))
        .hasMessage("t.yaml: key 'topics': expected a non-empty list of topics");
    assertThatThrownBy(() -> TopicsFile.load(Path.of("no-such-topics.yaml")))
        .hasMessage("no-such-topics.yaml: no such file");
  }

  @Test
  void shouldLowerReplicationForADevClusterAndCapMinInsyncReplicas() {
    TopicSpec spec =
        new TopicSpec("a", 3, (short) 3, Map.of("min.insync.replicas", "2", "retention.ms", "5"));

    TopicSpec dev = spec.withReplicationFactor((short) 1);

    assertThat(dev)
        .isEqualTo(
            new TopicSpec(
                "a", 3, (short) 1, Map.of("min.insync.replicas", "1", "retention.ms", "5")));
  }
}
