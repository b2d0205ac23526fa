package org.kfm.telemetry.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;
import org.kfm.telemetry.config.AppConfig;
import org.kfm.telemetry.config.HealthConfig;
import org.kfm.telemetry.ops.topics.TopicSpec;
import org.kfm.telemetry.ops.topics.TopicsFile;

/** STYLE.md habit 7: every topic the topology reads or writes is declared in topics.yaml. */
class TopicsDeclaredTest {

  @Test
  void shouldDeclareEveryTopicOfTheFullTopologyInTopicsYaml() {
    // Given the whole topology as main builds it: validation, health checks and signed alerts
    AppConfig config = HealthDriver.config(HealthConfig.defaults());
    TopologyDescription description =
        TelemetryTopology.build(
                config, TestSerdes.of("declared"), new SimpleMeterRegistry(), "test")
            .describe();

    // When its source and sink topics are collected
    Set<String> used = new TreeSet<>();
    for (TopologyDescription.Subtopology sub : description.subtopologies()) {
      for (TopologyDescription.Node node : sub.nodes()) {
        if (node instanceof TopologyDescription.Source source) {
          used.addAll(source.topicSet());
        } else if (node instanceof TopologyDescription.Sink sink) {
          used.add(sink.topic());
        }
      }
    }

    // Then topics.yaml declares each of them but the one Kafka Streams creates and manages itself
    // (describe() names it without the application id)
    Set<String> declared =
        new TreeSet<>(
            TopicsFile.load(Path.of("topics.yaml")).stream().map(TopicSpec::name).toList());
    String streamsManaged = TelemetryTopology.BY_DEDUP_KEY + "-repartition";
    assertThat(used)
        .contains(
            config.topics().raw(),
            config.topics().valid(),
            config.topics().dlq(),
            config.topics().health(),
            config.topics().alerts(),
            config.health().repartitionTopic(),
            streamsManaged);
    used.remove(streamsManaged);
    assertThat(declared)
        .containsAll(used)
        .doesNotContain(StreamsProperties.APPLICATION_ID + "-" + streamsManaged);
  }
}
