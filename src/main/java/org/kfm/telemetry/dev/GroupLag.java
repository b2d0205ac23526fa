package org.kfm.telemetry.dev;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (a Kafka Streams application) is behind on some topics: for every
 * partition, its read-committed end offset minus the group's committed offset (0 before any
 * commit). Zero on every input topic of an application means it has processed and committed
 * everything written to them.
 */
public final class GroupLag {

  private final Admin admin;
  private final String groupId;
  private final List<String> topics;

  public GroupLag(Admin admin, String groupId, List<String> topics) {
    this.admin = admin;
    this.groupId = groupId;
    this.topics = List.copyOf(topics);
  }

  /**
   * The lag and the committed offsets now, or null when they cannot be read (e.g. a topic not
   * created yet).
   */
  public Snapshot read() throws InterruptedException {
    try {
      Map<TopicPartition, Long> ends =
          endOffsets(admin, topics, IsolationLevel.READ_COMMITTED, Duration.ofSeconds(5));
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(5, TimeUnit.SECONDS);
      long lag = 0;
      Map<String, Long> committedByTopic = new HashMap<>();
      for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
        TopicPartition tp = end.getKey();
        OffsetAndMetadata offset = committed.get(tp);
        long at = offset == null ? 0 : offset.offset();
        lag += Math.max(0, end.getValue() - at);
        committedByTopic.merge(tp.topic(), at, Long::sum);
      }
      return new Snapshot(lag, committedByTopic);
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      return null;
    }
  }

  /**
   * The end offset of every partition of {@code topics}, as a consumer with {@code isolation} sees
   * it.
   */
  public static Map<TopicPartition, Long> endOffsets(
      Admin admin, Collection<String> topics, IsolationLevel isolation, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    for (TopicDescription topic :
        admin
            .describeTopics(topics)
            .allTopicNames()
            .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
            .values()) {
      topic
          .partitions()
          .forEach(
              p ->
                  latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
    }
    Map<TopicPartition, Long> ends = new HashMap<>();
    admin
        .listOffsets(latest, new ListOffsetsOptions(isolation))
        .all()
        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .forEach((tp, info) -> ends.put(tp, info.offset()));
    return ends;
  }

  /**
   * The group's position on the topics.
   *
   * @param lag records written but not yet committed by the group, over all partitions
   * @param committed the committed offsets summed per topic
   */
  public record Snapshot(long lag, Map<String, Long> committed) {

    /** The committed offsets of {@code topic}, summed over its partitions. */
    public long committed(String topic) {
      return committed.getOrDefault(topic, 0L);
    }
  }
}
