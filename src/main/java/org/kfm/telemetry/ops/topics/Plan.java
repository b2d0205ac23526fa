package org.kfm.telemetry.ops.topics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * What it takes to make the cluster match topics.yaml: changes kfm makes ({@link Create}, {@link
 * AddPartitions}, {@link AlterConfigs}) and differences it refuses to touch ({@link Refuse}).
 */
public record Plan(List<Action> actions) {

  public Plan {
    actions = List.copyOf(Objects.requireNonNull(actions, "actions"));
  }

  /** The actions that change the cluster. */
  public List<Action> changes() {
    return actions.stream().filter(a -> !(a instanceof Refuse)).toList();
  }

  /** The differences kfm leaves to an operator. */
  public List<Refuse> refusals() {
    return actions.stream().filter(Refuse.class::isInstance).map(Refuse.class::cast).toList();
  }

  /** True when the cluster already matches topics.yaml. */
  public boolean isEmpty() {
    return actions.isEmpty();
  }

  /** One step of a plan, printable as one line. */
  public sealed interface Action permits Create, AddPartitions, AlterConfigs, Refuse {
    String topic();

    /**
     * A one-line description for people, e.g. {@code create kfm.telemetry.raw: 12 partitions, ...}.
     */
    String line();
  }

  /** Create a missing topic as declared. */
  public record Create(TopicSpec spec) implements Action {
    @Override
    public String topic() {
      return spec.name();
    }

    @Override
    public String line() {
      return "create     "
          + spec.name()
          + ": "
          + spec.partitions()
          + " partitions, replication factor "
          + spec.replicationFactor()
          + (spec.configs().isEmpty()
              ? ""
              : ", "
                  + spec.configs().entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .collect(Collectors.joining(", ")));
    }
  }

  /** Raise a topic's partition count. */
  public record AddPartitions(String topic, int from, int to) implements Action {
    @Override
    public String line() {
      return "partitions "
          + topic
          + ": "
          + from
          + " -> "
          + to
          + " (keys move to other partitions; a service reading this topic stops until reset:"
          + " docs/deploy.md#changing-partition-counts)";
    }
  }

  /** Set configs whose value differs from topics.yaml; the map holds each config's old value. */
  public record AlterConfigs(String topic, Map<String, String> set, Map<String, String> previous)
      implements Action {
    public AlterConfigs {
      set = Map.copyOf(set);
      previous = Map.copyOf(previous);
    }

    @Override
    public String line() {
      return "configs    "
          + topic
          + ": "
          + new java.util.TreeMap<>(set)
              .entrySet().stream()
                  .map(
                      e ->
                          e.getKey()
                              + " "
                              + previous.getOrDefault(e.getKey(), "(unset)")
                              + " -> "
                              + e.getValue())
                  .collect(Collectors.joining(", "));
    }
  }

  /** A difference kfm will not change (deleting, lowering partitions, replication), and why. */
  public record Refuse(String topic, String reason) implements Action {
    @Override
    public String line() {
      return "refuse     " + topic + ": " + reason;
    }
  }
}
