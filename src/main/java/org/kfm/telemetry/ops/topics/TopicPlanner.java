package org.kfm.telemetry.ops.topics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Compares the declared topics with the cluster and returns the plan; a pure function. It never
 * plans to delete a topic, lower a partition count or change a replication factor: those
 * differences become {@link Plan.Refuse} items.
 */
public final class TopicPlanner {

  private TopicPlanner() {}

  /** The plan that makes {@code cluster} match {@code desired}. */
  public static Plan plan(List<TopicSpec> desired, ClusterState cluster) {
    List<Plan.Action> actions = new ArrayList<>();
    for (TopicSpec spec : desired) {
      ClusterState.TopicState actual = cluster.topics().get(spec.name());
      if (actual == null) {
        if (spec.replicationFactor() > cluster.brokers()) {
          actions.add(
              new Plan.Refuse(
                  spec.name(),
                  "missing, but its replication factor "
                      + spec.replicationFactor()
                      + " needs "
                      + spec.replicationFactor()
                      + " brokers and the cluster has "
                      + cluster.brokers()
                      + "; not created (for a dev cluster pass --replication-factor "
                      + Math.max(1, cluster.brokers())
                      + ")"));
        } else {
          actions.add(new Plan.Create(spec));
        }
        continue;
      }
      if (actual.partitions() < spec.partitions()) {
        actions.add(new Plan.AddPartitions(spec.name(), actual.partitions(), spec.partitions()));
      } else if (actual.partitions() > spec.partitions()) {
        actions.add(
            new Plan.Refuse(
                spec.name(),
                "has "
                    + actual.partitions()
                    + " partitions, topics.yaml says "
                    + spec.partitions()
                    + ": partitions are never lowered (Kafka cannot; it would need a new topic)"));
      }
      if (actual.replicationFactor() != spec.replicationFactor()) {
        actions.add(
            new Plan.Refuse(
                spec.name(),
                "replication factor is "
                    + actual.replicationFactor()
                    + ", topics.yaml says "
                    + spec.replicationFactor()
                    + ": kfm never changes replication (reassign partitions with kafka-reassign-partitions)"));
      }
      configChanges(spec, actual, actions);
    }
    Set<String> declared = desired.stream().map(TopicSpec::name).collect(Collectors.toSet());
    Set<String> prefixes = desired.stream().map(t -> prefix(t.name())).collect(Collectors.toSet());
    for (String name : cluster.topicNames()) {
      if (!declared.contains(name) && prefixes.contains(prefix(name)) && !isStreamsInternal(name)) {
        actions.add(
            new Plan.Refuse(
                name, "on the cluster but not in topics.yaml: kfm never deletes topics"));
      }
    }
    return new Plan(actions);
  }

  private static void configChanges(
      TopicSpec spec, ClusterState.TopicState actual, List<Plan.Action> actions) {
    Map<String, String> set = new TreeMap<>();
    Map<String, String> previous = new TreeMap<>();
    for (Map.Entry<String, String> e : spec.configs().entrySet()) {
      String current = actual.configs().get(e.getKey());
      if (e.getValue().equals(current)) {
        continue;
      }
      if (e.getKey().equals(TopicSpec.MIN_INSYNC_REPLICAS)
          && Integer.parseInt(e.getValue()) > actual.replicationFactor()) {
        actions.add(
            new Plan.Refuse(
                spec.name(),
                "min.insync.replicas "
                    + e.getValue()
                    + " is more than its "
                    + actual.replicationFactor()
                    + " replicas: not set (acks=all writes would fail)"));
        continue;
      }
      set.put(e.getKey(), e.getValue());
      if (current != null) {
        previous.put(e.getKey(), current);
      }
    }
    if (!set.isEmpty()) {
      actions.add(new Plan.AlterConfigs(spec.name(), set, previous));
    }
  }

  // "kfm.telemetry.raw" -> "kfm.telemetry.": undeclared topics in a declared namespace are
  // reported.
  private static String prefix(String name) {
    int cut = Math.max(name.lastIndexOf('.'), -1);
    return cut < 0 ? name : name.substring(0, cut + 1);
  }

  // Kafka Streams creates and owns its changelog and internal repartition topics.
  private static boolean isStreamsInternal(String name) {
    return name.endsWith("-changelog") || name.endsWith("-repartition");
  }
}
