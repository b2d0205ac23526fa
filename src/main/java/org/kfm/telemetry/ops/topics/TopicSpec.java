package org.kfm.telemetry.ops.topics;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One topic as declared in topics.yaml: its name, partition count, replication factor and the topic
 * configs kfm manages (others are left as the cluster has them).
 */
public record TopicSpec(
    String name, int partitions, short replicationFactor, Map<String, String> configs) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (partitions < 1) {
      throw new IllegalArgumentException(
          name + ": partitions must be at least 1, was " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          name + ": replication-factor must be at least 1, was " + replicationFactor);
    }
    configs =
        Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(configs, "configs")));
  }

  /**
   * This topic with another replication factor (a dev cluster's), min.insync.replicas capped at it
   * so that acks=all writes can still succeed.
   */
  public TopicSpec withReplicationFactor(short factor) {
    Map<String, String> capped = new TreeMap<>(configs);
    String minIsr = capped.get(MIN_INSYNC_REPLICAS);
    if (minIsr != null && Integer.parseInt(minIsr) > factor) {
      capped.put(MIN_INSYNC_REPLICAS, Short.toString(factor));
    }
    return new TopicSpec(name, partitions, factor, capped);
  }

  static final String MIN_INSYNC_REPLICAS = "min.insync.replicas";
}
