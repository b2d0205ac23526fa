package org.kfm.telemetry.ops.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner against described clusters, and the applier on an in-memory cluster. */
class TopicPlannerTest {

  private static final TopicSpec RAW =
      new TopicSpec(
          "kfm.telemetry.raw",
          12,
          (short) 3,
          Map.of(
              "retention.ms", "604800000", "min.insync.replicas", "2", "cleanup.policy", "delete"));
  private static final TopicSpec DLQ =
      new TopicSpec(
          "kfm.telemetry.dlq",
          3,
          (short) 3,
          Map.of("retention.ms", "2592000000", "min.insync.replicas", "2"));

  private static List<String> lines(Plan plan) {
    return plan.actions().stream().map(Plan.Action::line).toList();
  }

  @Test
  void shouldCreateMissingTopicsOnAnEmptyCluster() {
    Plan plan =
        TopicPlanner.plan(
            List.of(RAW, DLQ), new FakeTopicAdmin(3).describe(List.of(RAW.name(), DLQ.name())));

    assertThat(plan.actions()).containsExactly(new Plan.Create(RAW), new Plan.Create(DLQ));
    assertThat(lines(plan).get(0))
        .isEqualTo(
            "create     kfm.telemetry.raw: 12 partitions, replication factor 3, "
                + "cleanup.policy=delete, min.insync.replicas=2, retention.ms=604800000");
  }

  @Test
  void shouldPlanNothingWhenTheClusterMatchesEvenWhereAValueIsTheBrokerDefault() {
    FakeTopicAdmin cluster =
        new FakeTopicAdmin(3).with(RAW.name(), 12, 3, Map.of("min.insync.replicas", "2"));

    Plan plan = TopicPlanner.plan(List.of(RAW), cluster.describe(List.of(RAW.name())));

    assertThat(plan.isEmpty()).isTrue();
  }

  @Test
  void shouldAddPartitionsAndSetOnlyTheConfigsThatDiffer() {
    FakeTopicAdmin cluster =
        new FakeTopicAdmin(3).with(RAW.name(), 6, 3, Map.of("retention.ms", "86400000"));

    Plan plan = TopicPlanner.plan(List.of(RAW), cluster.describe(List.of(RAW.name())));

    assertThat(plan.actions())
        .containsExactly(
            new Plan.AddPartitions(RAW.name(), 6, 12),
            new Plan.AlterConfigs(
                RAW.name(),
                Map.of("retention.ms", "604800000", "min.insync.replicas", "2"),
                Map.of("retention.ms", "86400000", "min.insync.replicas", "1")));
    assertThat(lines(plan).get(1))
        .isEqualTo(
            "configs    kfm.telemetry.raw: min.insync.replicas 1 -> 2, retention.ms 86400000 -> 604800000");
  }

  @Test
  void shouldRefuseToLowerPartitionsOrChangeReplicationAndSaySo() {
    FakeTopicAdmin cluster =
        new FakeTopicAdmin(3).with(RAW.name(), 24, 2, Map.of("min.insync.replicas", "2"));

    Plan plan = TopicPlanner.plan(List.of(RAW), cluster.describe(List.of(RAW.name())));

    assertThat(plan.changes()).isEmpty();
    assertThat(lines(plan))
        .containsExactly(
            "refuse     kfm.telemetry.raw: has 24 partitions, topics.yaml says 12: partitions are never lowered "
                + "(Kafka cannot; it would need a new topic)",
            "refuse     kfm.telemetry.raw: replication factor is 2, topics.yaml says 3: kfm never changes replication "
                + "(reassign partitions with kafka-reassign-partitions)");
  }

  @Test
  void shouldNeverDeleteATopicThatIsNotDeclaredButReportItsNamespace() {
    FakeTopicAdmin cluster =
        new FakeTopicAdmin(3)
            .with(RAW.name(), 12, 3, Map.of("min.insync.replicas", "2"))
            .with("kfm.telemetry.old", 1, 3, Map.of())
            .with("someone.elses", 1, 3, Map.of())
            .with("kfm.telemetry.x-changelog", 1, 3, Map.of());

    Plan plan = TopicPlanner.plan(List.of(RAW), cluster.describe(List.of(RAW.name())));

    assertThat(lines(plan))
        .containsExactly(
            "refuse     kfm.telemetry.old: on the cluster but not in topics.yaml: kfm never deletes topics");
  }

  @Test
  void shouldRefuseToCreateATopicNeedingMoreBrokersThanTheClusterHasAndSuggestTheOverride() {
    Plan plan =
        TopicPlanner.plan(List.of(RAW), new FakeTopicAdmin(1).describe(List.of(RAW.name())));

    assertThat(lines(plan))
        .containsExactly(
            "refuse     kfm.telemetry.raw: missing, but its replication factor 3 "
                + "needs 3 brokers and the cluster has 1; not created (for a dev cluster pass --replication-factor 1)");

    Plan dev =
        TopicPlanner.plan(
            List.of(RAW.withReplicationFactor((short) 1)),
            new FakeTopicAdmin(1).describe(List.of(RAW.name())));
    assertThat(dev.actions())
        .containsExactly(new Plan.Create(RAW.withReplicationFactor((short) 1)));
  }

  @Test
  void shouldNotRaiseMinInsyncReplicasAboveAnExistingTopicsReplicas() {
    TopicSpec spec = new TopicSpec("a.b", 1, (short) 1, Map.of("min.insync.replicas", "2"));
    FakeTopicAdmin cluster = new FakeTopicAdmin(1).with("a.b", 1, 1, Map.of());

    Plan plan = TopicPlanner.plan(List.of(spec), cluster.describe(List.of("a.b")));

    assertThat(plan.changes()).isEmpty();
    assertThat(lines(plan))
        .singleElement()
        .asString()
        .contains("min.insync.replicas 2 is more than its 1 replicas");
  }

  @Test
  void shouldLeaveNothingToDoWhenTheRepositorysTopicsAreAppliedTwice() {
    List<TopicSpec> topics = TopicsFile.load(Path.of("topics.yaml"));
    List<String> names = topics.stream().map(TopicSpec::name).toList();
    FakeTopicAdmin cluster = new FakeTopicAdmin(3).with("kfm.telemetry.raw", 6, 3, Map.of());
    List<Plan.Action> reported = new ArrayList<>();

    Plan first = TopicPlanner.plan(topics, cluster.describe(names));
    List<Plan.Action> applied = TopicApplier.apply(first, cluster, reported::add);
    int callsAfterFirst = cluster.calls;
    Plan second = TopicPlanner.plan(topics, cluster.describe(names));
    TopicApplier.apply(second, cluster, reported::add);

    assertThat(applied).isEqualTo(first.changes()).hasSize(topics.size() - 1 + 2);
    assertThat(reported).isEqualTo(applied);
    assertThat(second.isEmpty()).isTrue();
    assertThat(cluster.calls).isEqualTo(callsAfterFirst);
  }
}
