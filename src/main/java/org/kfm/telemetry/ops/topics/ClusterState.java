package org.kfm.telemetry.ops.topics;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the cluster has, as far as the planner needs it: the number of brokers, the names of all
 * (non-internal) topics, and the partitions, replication factor and effective configs of the topics
 * asked about.
 *
 * @param brokers live brokers in the cluster
 * @param topicNames every topic on the cluster
 * @param topics the described topics, by name
 */
public record ClusterState(int brokers, Set<String> topicNames, Map<String, TopicState> topics) {

  public ClusterState {
    topicNames = Set.copyOf(new TreeSet<>(Objects.requireNonNull(topicNames, "topicNames")));
    topics = Map.copyOf(new TreeMap<>(Objects.requireNonNull(topics, "topics")));
  }

  /**
   * One existing topic.
   *
   * @param name the topic
   * @param partitions its partition count
   * @param replicationFactor the replica count of its partitions (the smallest, should they differ)
   * @param configs its effective configs, defaults included
   */
  public record TopicState(
      String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public TopicState {
      Objects.requireNonNull(name, "name");
      configs = Map.copyOf(Objects.requireNonNull(configs, "configs"));
    }
  }
}
