package org.kfm.telemetry.ops.topics;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An in-memory cluster: topics with partitions, replication and effective configs over broker
 * defaults.
 */
final class FakeTopicAdmin implements TopicAdmin {

  static final Map<String, String> BROKER_DEFAULTS =
      Map.of(
          "cleanup.policy",
          "delete",
          "retention.ms",
          "604800000",
          "min.insync.replicas",
          "1",
          "compression.type",
          "producer");

  final int brokers;
  final Map<String, ClusterState.TopicState> topics = new LinkedHashMap<>();
  int calls;

  FakeTopicAdmin(int brokers) {
    this.brokers = brokers;
  }

  FakeTopicAdmin with(String name, int partitions, int replication, Map<String, String> configs) {
    Map<String, String> effective = new HashMap<>(BROKER_DEFAULTS);
    effective.putAll(configs);
    topics.put(name, new ClusterState.TopicState(name, partitions, (short) replication, effective));
    return this;
  }

  @Override
  public ClusterState describe(Collection<String> names) {
    Map<String, ClusterState.TopicState> described =
        names.stream().filter(topics::containsKey).collect(Collectors.toMap(n -> n, topics::get));
    return new ClusterState(brokers, Set.copyOf(topics.keySet()), described);
  }

  @Override
  public void create(TopicSpec spec) {
    calls++;
    if (topics.containsKey(spec.name())) {
      throw new IllegalStateException("exists: " + spec.name());
    }
    with(spec.name(), spec.partitions(), spec.replicationFactor(), spec.configs());
  }

  @Override
  public void addPartitions(String topic, int total) {
    calls++;
    ClusterState.TopicState t = topics.get(topic);
    topics.put(
        topic, new ClusterState.TopicState(topic, total, t.replicationFactor(), t.configs()));
  }

  @Override
  public void setConfigs(String topic, Map<String, String> configs) {
    calls++;
    ClusterState.TopicState t = topics.get(topic);
    Map<String, String> merged = new HashMap<>(t.configs());
    merged.putAll(configs);
    topics.put(
        topic, new ClusterState.TopicState(topic, t.partitions(), t.replicationFactor(), merged));
  }
}
