package org.kfm.telemetry.ops.topics;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * {@link TopicAdmin} over Kafka's AdminClient; every failure is a {@link ClusterException} with a
 * readable message.
 */
public final class KafkaTopicAdmin implements TopicAdmin, AutoCloseable {

  private final Admin admin;
  private final String bootstrap;
  private final String timeout;

  private KafkaTopicAdmin(Admin admin, String bootstrap, String timeout) {
    this.admin = admin;
    this.bootstrap = bootstrap;
    this.timeout = timeout;
  }

  /** An AdminClient with {@code props} (bootstrap.servers, security, timeouts). */
  public static KafkaTopicAdmin connect(Properties props) {
    String bootstrap = props.getProperty("bootstrap.servers");
    try {
      return new KafkaTopicAdmin(
          Admin.create(props),
          bootstrap,
          props.getProperty("default.api.timeout.ms", "60000") + " ms");
    } catch (KafkaException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new ClusterException(
          "cannot create a Kafka client for " + bootstrap + ": " + message(root), e);
    }
  }

  @Override
  public ClusterState describe(Collection<String> topics) {
    int brokers = get(admin.describeCluster().nodes(), "describe the cluster").size();
    Set<String> names = get(admin.listTopics().names(), "list topics");
    List<String> present = topics.stream().filter(names::contains).distinct().toList();
    Map<String, ClusterState.TopicState> described = new HashMap<>();
    if (!present.isEmpty()) {
      Map<String, TopicDescription> descriptions =
          get(admin.describeTopics(present).allTopicNames(), "describe topics");
      Map<ConfigResource, Config> configs =
          get(
              admin
                  .describeConfigs(
                      present.stream()
                          .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t))
                          .toList())
                  .all(),
              "describe topic configs");
      for (String topic : present) {
        TopicDescription d = descriptions.get(topic);
        short replication =
            (short) d.partitions().stream().mapToInt(p -> p.replicas().size()).min().orElse(0);
        Map<String, String> values =
            configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic)).entries().stream()
                .filter(e -> e.value() != null)
                .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a));
        described.put(
            topic, new ClusterState.TopicState(topic, d.partitions().size(), replication, values));
      }
    }
    return new ClusterState(brokers, names, described);
  }

  @Override
  public void create(TopicSpec spec) {
    NewTopic topic =
        new NewTopic(spec.name(), spec.partitions(), spec.replicationFactor())
            .configs(spec.configs());
    try {
      get(admin.createTopics(List.of(topic)).all(), "create " + spec.name());
    } catch (ClusterException e) {
      // A topic created a moment ago (by us or anyone) may not be in the metadata we described yet:
      // it exists, which is what create wanted; the next apply reconciles its partitions and
      // configs.
      if (!(e.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
        throw e;
      }
    }
    awaitVisible(spec.name());
  }

  /**
   * Waits (bounded) until a new topic shows in the broker's metadata, so that what apply reports as
   * done is what the next diff or apply sees: the controller accepts a topic before brokers list
   * it.
   */
  private void awaitVisible(String topic) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
    while (System.nanoTime() < deadline) {
      if (get(admin.listTopics().names(), "list topics").contains(topic)) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void addPartitions(String topic, int total) {
    get(
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(total))).all(),
        "add partitions to " + topic);
  }

  @Override
  public void setConfigs(String topic, Map<String, String> configs) {
    List<AlterConfigOp> ops =
        configs.entrySet().stream()
            .map(
                e ->
                    new AlterConfigOp(
                        new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
            .toList();
    get(
        admin
            .incrementalAlterConfigs(
                Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic), ops))
            .all(),
        "set configs of " + topic);
  }

  @Override
  public void close() {
    admin.close(java.time.Duration.ofSeconds(5));
  }

  private <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while trying to " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      if (cause instanceof TimeoutException) {
        throw new ClusterException(
            "cannot reach Kafka at "
                + bootstrap
                + ": no answer within "
                + timeout
                + " trying to "
                + what
                + " (is the broker up and the address right? security settings go in --command-config)",
            cause);
      }
      throw new ClusterException("failed to " + what + ": " + message(cause), cause);
    }
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return t.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }

  /**
   * A cluster operation failed (unreachable, refused, not authorized); the message says which and
   * why.
   */
  public static final class ClusterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
