package org.kfm.telemetry.ops.topics;

import java.util.Collection;
import java.util.Map;

/** The few cluster operations topics-as-code needs; {@link KafkaTopicAdmin} is the real one. */
public interface TopicAdmin {

  /** The cluster's brokers and topic names, and the named topics that exist, described. */
  ClusterState describe(Collection<String> topics);

  void create(TopicSpec spec);

  /** Raises {@code topic}'s partition count to {@code total}. */
  void addPartitions(String topic, int total);

  /** Sets these configs of {@code topic}, leaving the others as they are. */
  void setConfigs(String topic, Map<String, String> configs);
}
